package io.tributary.tools.internal;

/**
 * A command failed for a reason the user can act on. The command line prints {@code Error: <message>}
 * on stderr, without a stack trace, and exits with 1.
 */
public final class CommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
