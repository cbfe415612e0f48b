package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** An offset commit carried an older member epoch than the member's current one. */
public class StaleMemberEpochException extends RetriableException {

    public StaleMemberEpochException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH;
    }
}
