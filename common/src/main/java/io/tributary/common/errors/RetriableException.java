package io.tributary.common.errors;

/** An {@link ApiException} after which the same request may succeed (often after a metadata refresh). */
public abstract class RetriableException extends ApiException {

    protected RetriableException(String message) {
        super(message);
    }

    protected RetriableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean isRetriable() {
        return true;
    }
}
