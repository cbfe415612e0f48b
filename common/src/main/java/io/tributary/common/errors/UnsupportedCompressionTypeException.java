package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The compression codec is not known. */
public class UnsupportedCompressionTypeException extends ApiException {

    public UnsupportedCompressionTypeException(String message) {
        super(message);
    }

    public UnsupportedCompressionTypeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_UNSUPPORTED_COMPRESSION_TYPE;
    }
}
