package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A broker-config request named a broker id that is not registered with the cluster. */
public class BrokerIdNotRegisteredException extends ApiException {

    public BrokerIdNotRegisteredException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_BROKER_ID_NOT_REGISTERED;
    }
}
