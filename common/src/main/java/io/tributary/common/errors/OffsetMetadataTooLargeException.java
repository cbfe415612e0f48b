package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** An offset commit's metadata string is too long. */
public class OffsetMetadataTooLargeException extends ApiException {

    public OffsetMetadataTooLargeException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE;
    }
}
