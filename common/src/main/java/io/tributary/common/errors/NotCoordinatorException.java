package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The node asked is not the group's coordinator; find the coordinator again. */
public class NotCoordinatorException extends RetriableException {

    public NotCoordinatorException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_NOT_COORDINATOR;
    }
}
