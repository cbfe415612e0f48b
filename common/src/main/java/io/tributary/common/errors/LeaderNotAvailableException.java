package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The partition has no leader right now. */
public class LeaderNotAvailableException extends RetriableException {

    public LeaderNotAvailableException(String message) {
        super(message);
    }

    public LeaderNotAvailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE;
    }
}
