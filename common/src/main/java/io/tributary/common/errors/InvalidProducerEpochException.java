package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The producer epoch is older than the current one. */
public class InvalidProducerEpochException extends ApiException {

    public InvalidProducerEpochException(String message) {
        super(message);
    }

    public InvalidProducerEpochException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_PRODUCER_EPOCH;
    }
}
