package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** An ISR change was computed from an older partition epoch than the controller's. */
public class InvalidUpdateVersionException extends ApiException {

    public InvalidUpdateVersionException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_UPDATE_VERSION;
    }
}
