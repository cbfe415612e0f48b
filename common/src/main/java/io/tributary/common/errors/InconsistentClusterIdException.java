package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The node's storage was formatted for another cluster. */
public class InconsistentClusterIdException extends ApiException {

    public InconsistentClusterIdException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INCONSISTENT_CLUSTER_ID;
    }
}
