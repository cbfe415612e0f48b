package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/**
 * An operation did not complete within its timeout: a request the server timed out
 * (REQUEST_TIMED_OUT), or a client-side wait such as {@code max.block.ms}, {@code delivery.timeout.ms}
 * or an API call timeout.
 */
public class TimeoutException extends RetriableException {

    public TimeoutException(String message) {
        super(message);
    }

    public TimeoutException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT;
    }
}
