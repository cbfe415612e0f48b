package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The request's leader epoch is newer than this node knows. */
public class UnknownLeaderEpochException extends RetriableException {

    public UnknownLeaderEpochException(String message) {
        super(message);
    }

    public UnknownLeaderEpochException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH;
    }
}
