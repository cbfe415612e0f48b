package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The log directory holding the data has failed (disk error); it stays offline until restart. */
public class StorageException extends RetriableException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_STORAGE_ERROR;
    }
}
