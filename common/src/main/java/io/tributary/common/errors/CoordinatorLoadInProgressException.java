package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The coordinator is still loading the group's state after a leadership change. */
public class CoordinatorLoadInProgressException extends RetriableException {

    public CoordinatorLoadInProgressException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS;
    }
}
