package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A configuration key is unknown, or its value is not valid. */
public class InvalidConfigurationException extends ApiException {

    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_CONFIG;
    }
}
