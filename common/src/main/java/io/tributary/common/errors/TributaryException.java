package io.tributary.common.errors;

/**
 * Root of every exception Tributary's client and server raise on purpose. {@link ApiException}s carry a
 * wire {@code ErrorCode} and split into {@link RetriableException}s and fatal ones; the others here
 * (wake-up, interruption, serialization) are raised by the client itself and are fatal to the call
 * that saw them.
 */
public class TributaryException extends RuntimeException {

    public TributaryException(String message) {
        super(message);
    }

    public TributaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
