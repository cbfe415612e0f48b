package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A member committed an offset for a partition that is not assigned to it. */
public class PartitionNotAssignedException extends ApiException {

    public PartitionNotAssignedException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_PARTITION_NOT_ASSIGNED;
    }
}
