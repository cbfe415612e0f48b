package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A broker request carried the epoch of an older registration of that broker. */
public class StaleBrokerEpochException extends ApiException {

    public StaleBrokerEpochException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH;
    }
}
