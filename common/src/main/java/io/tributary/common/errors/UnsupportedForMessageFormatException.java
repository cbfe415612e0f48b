package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The batch is not in the v2 (magic 2) format. */
public class UnsupportedForMessageFormatException extends ApiException {

    public UnsupportedForMessageFormatException(String message) {
        super(message);
    }

    public UnsupportedForMessageFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_UNSUPPORTED_FOR_MESSAGE_FORMAT;
    }
}
