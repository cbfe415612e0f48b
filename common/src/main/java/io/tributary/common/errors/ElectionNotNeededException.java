package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The partition already has the leader the election would pick. */
public class ElectionNotNeededException extends ApiException {

    public ElectionNotNeededException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED;
    }
}
