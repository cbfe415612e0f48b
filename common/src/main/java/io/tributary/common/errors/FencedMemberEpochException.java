package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The member's epoch is fenced: its partitions are lost and it must rejoin. */
public class FencedMemberEpochException extends ApiException {

    public FencedMemberEpochException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH;
    }
}
