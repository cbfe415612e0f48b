package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/**
 * The server failed in a way it could not classify. Not retriable (as in Kafka): retrying a request
 * the server cannot handle only delays the error.
 */
public class UnknownServerException extends ApiException {

    public UnknownServerException(String message) {
        super(message);
    }

    public UnknownServerException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR;
    }
}
