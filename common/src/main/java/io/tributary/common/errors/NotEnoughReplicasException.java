package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** Fewer in-sync replicas than min.insync.replicas; nothing was appended. */
public class NotEnoughReplicasException extends RetriableException {

    public NotEnoughReplicasException(String message) {
        super(message);
    }

    public NotEnoughReplicasException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS;
    }
}
