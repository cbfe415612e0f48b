package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The group does not exist (no members and no committed offsets). */
public class GroupIdNotFoundException extends ApiException {

    public GroupIdNotFoundException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND;
    }
}
