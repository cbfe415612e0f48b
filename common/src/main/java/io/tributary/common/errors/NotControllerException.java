package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The node asked is not the active controller; the message names the active one when known. */
public class NotControllerException extends RetriableException {

    /** The active controller's node id, or -1 when unknown. */
    private final int activeControllerId;

    public NotControllerException(String message) {
        this(message, -1);
    }

    public NotControllerException(String message, int activeControllerId) {
        super(message);
        this.activeControllerId = activeControllerId;
    }

    /** The active controller's node id as the answering node knows it, or -1. */
    public int activeControllerId() {
        return activeControllerId;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_NOT_CONTROLLER;
    }
}
