package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The node asked is not the active controller; the message names the active one when known. */
public class NotControllerException extends RetriableException {

    public NotControllerException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_NOT_CONTROLLER;
    }
}
