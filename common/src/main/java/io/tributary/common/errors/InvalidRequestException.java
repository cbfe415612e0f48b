package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The request breaks a rule not covered by a more precise error. */
public class InvalidRequestException extends ApiException {

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_REQUEST;
    }
}
