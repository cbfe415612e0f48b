package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The group still has members, so the operation is refused. */
public class GroupNotEmptyException extends ApiException {

    public GroupNotEmptyException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_NON_EMPTY_GROUP;
    }
}
