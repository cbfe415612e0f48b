package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The group id is empty or too long. */
public class InvalidGroupIdException extends ApiException {

    public InvalidGroupIdException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_GROUP_ID;
    }
}
