package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** No live replica can be elected leader. */
public class EligibleLeadersNotAvailableException extends RetriableException {

    public EligibleLeadersNotAvailableException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_ELIGIBLE_LEADERS_NOT_AVAILABLE;
    }
}
