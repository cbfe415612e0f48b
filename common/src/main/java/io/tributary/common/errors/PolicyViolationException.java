package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The request is refused by the topic's configured policy (e.g. deleting records of a compacted topic). */
public class PolicyViolationException extends ApiException {

    public PolicyViolationException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_POLICY_VIOLATION;
    }
}
