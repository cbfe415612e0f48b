package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The request's leader epoch is older than the current one. */
public class FencedLeaderEpochException extends RetriableException {

    public FencedLeaderEpochException(String message) {
        super(message);
    }

    public FencedLeaderEpochException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH;
    }
}
