package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The batch duplicates one already appended. */
public class DuplicateSequenceException extends ApiException {

    public DuplicateSequenceException(String message) {
        super(message);
    }

    public DuplicateSequenceException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_DUPLICATE_SEQUENCE_NUMBER;
    }
}
