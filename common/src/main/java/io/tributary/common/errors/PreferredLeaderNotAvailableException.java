package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The preferred replica is not in sync or not alive. */
public class PreferredLeaderNotAvailableException extends RetriableException {

    public PreferredLeaderNotAvailableException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_PREFERRED_LEADER_NOT_AVAILABLE;
    }
}
