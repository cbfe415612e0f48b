package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** Another live incarnation of the broker id is registered. */
public class DuplicateBrokerRegistrationException extends RetriableException {

    public DuplicateBrokerRegistrationException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_DUPLICATE_BROKER_REGISTRATION;
    }
}
