package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The request did not complete within its timeout. */
public class RequestTimedOutException extends RetriableException {

    public RequestTimedOutException(String message) {
        super(message);
    }

    public RequestTimedOutException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT;
    }
}
