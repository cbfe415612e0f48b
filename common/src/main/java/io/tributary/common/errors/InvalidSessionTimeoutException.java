package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A session or rebalance timeout is outside the coordinator's bounds. */
public class InvalidSessionTimeoutException extends ApiException {

    public InvalidSessionTimeoutException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_SESSION_TIMEOUT;
    }
}
