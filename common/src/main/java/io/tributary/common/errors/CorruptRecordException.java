package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** Bytes that should be a record batch are not a valid one (CRC, sizes, counts, structure). */
public class CorruptRecordException extends ApiException {

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_CORRUPT_MESSAGE;
    }
}
