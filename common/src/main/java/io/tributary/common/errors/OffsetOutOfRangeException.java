package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The offset is below the log start offset or above the log end offset. */
public class OffsetOutOfRangeException extends ApiException {

    public OffsetOutOfRangeException(String message) {
        super(message);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE;
    }
}
