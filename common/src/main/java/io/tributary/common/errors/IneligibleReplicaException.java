package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** An ISR change would add a replica that cannot join (not assigned, fenced or shutting down). */
public class IneligibleReplicaException extends ApiException {

    public IneligibleReplicaException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA;
    }
}
