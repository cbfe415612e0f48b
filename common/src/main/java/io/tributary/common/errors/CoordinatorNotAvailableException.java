package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** No coordinator is available for the group yet (the offsets topic is being created or has no leader). */
public class CoordinatorNotAvailableException extends RetriableException {

    public CoordinatorNotAvailableException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE;
    }
}
