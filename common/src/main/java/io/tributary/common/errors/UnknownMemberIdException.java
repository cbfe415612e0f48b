package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The member is not (or no longer) a member of the group; it must rejoin. */
public class UnknownMemberIdException extends ApiException {

    public UnknownMemberIdException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID;
    }
}
