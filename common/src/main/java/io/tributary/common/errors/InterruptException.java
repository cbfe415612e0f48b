package io.tributary.common.errors;

/**
 * The calling thread was interrupted while a client call blocked. The thread's interrupt flag is set
 * again, so code further up still sees the interruption.
 */
public class InterruptException extends TributaryException {

    public InterruptException(String message, InterruptedException cause) {
        super(message, cause);
        Thread.currentThread().interrupt();
    }
}
