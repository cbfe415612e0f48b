package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/**
 * Base of every exception that has a stable wire {@link ErrorCode}. Servers turn these into
 * per-partition error codes; clients turn error codes back into these through {@link Errors}.
 * Subclasses are either {@link RetriableException}s (the same request may succeed later) or fatal.
 */
public abstract class ApiException extends TributaryException {

    protected ApiException(String message) {
        super(message);
    }

    protected ApiException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The stable code this exception travels as. */
    public abstract ErrorCode errorCode();

    /** Whether retrying the unchanged request may succeed. */
    public boolean isRetriable() {
        return false;
    }
}
