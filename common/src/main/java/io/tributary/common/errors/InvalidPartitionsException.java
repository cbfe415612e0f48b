package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The partition count is not valid. */
public class InvalidPartitionsException extends ApiException {

    public InvalidPartitionsException(String message) {
        super(message);
    }

    public InvalidPartitionsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_PARTITIONS;
    }
}
