package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A record timestamp is outside the allowed range. */
public class InvalidTimestampException extends ApiException {

    public InvalidTimestampException(String message) {
        super(message);
    }

    public InvalidTimestampException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_TIMESTAMP;
    }
}
