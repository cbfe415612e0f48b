package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A batch is larger than the topic's max.message.bytes. */
public class RecordTooLargeException extends ApiException {

    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_RECORD_TOO_LARGE;
    }
}
