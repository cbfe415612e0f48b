package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The node is shutting down or not yet ready. */
public class BrokerNotAvailableException extends RetriableException {

    public BrokerNotAvailableException(String message) {
        super(message);
    }

    public BrokerNotAvailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE;
    }
}
