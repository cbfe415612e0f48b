package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The producer sequence number is not the next one expected. */
public class OutOfOrderSequenceException extends ApiException {

    public OutOfOrderSequenceException(String message) {
        super(message);
    }

    public OutOfOrderSequenceException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE;
    }
}
