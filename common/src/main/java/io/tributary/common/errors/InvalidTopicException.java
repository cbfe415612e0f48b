package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The topic name is not valid, or names a topic that may not be used this way. */
public class InvalidTopicException extends ApiException {

    public InvalidTopicException(String message) {
        super(message);
    }

    public InvalidTopicException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_TOPIC;
    }
}
