package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** This node is not the leader (or a replica) of the partition. */
public class NotLeaderOrFollowerException extends RetriableException {

    public NotLeaderOrFollowerException(String message) {
        super(message);
    }

    public NotLeaderOrFollowerException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER;
    }
}
