package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The replication factor is not valid. */
public class InvalidReplicationFactorException extends ApiException {

    public InvalidReplicationFactorException(String message) {
        super(message);
    }

    public InvalidReplicationFactorException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR;
    }
}
