package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** Appended, but fewer in-sync replicas than min.insync.replicas acknowledged it. */
public class NotEnoughReplicasAfterAppendException extends RetriableException {

    public NotEnoughReplicasAfterAppendException(String message) {
        super(message);
    }

    public NotEnoughReplicasAfterAppendException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND;
    }
}
