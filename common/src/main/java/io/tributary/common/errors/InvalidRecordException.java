package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A record inside an otherwise well-formed batch is not valid. */
public class InvalidRecordException extends ApiException {

    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_RECORD;
    }
}
