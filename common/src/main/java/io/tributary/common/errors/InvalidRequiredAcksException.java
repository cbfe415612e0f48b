package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The acks value is not 0, 1 or all. */
public class InvalidRequiredAcksException extends ApiException {

    public InvalidRequiredAcksException(String message) {
        super(message);
    }

    public InvalidRequiredAcksException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_REQUIRED_ACKS;
    }
}
