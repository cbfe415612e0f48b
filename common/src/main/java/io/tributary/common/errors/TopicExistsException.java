package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A topic of that name already exists. */
public class TopicExistsException extends ApiException {

    public TopicExistsException(String message) {
        super(message);
    }

    public TopicExistsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS;
    }
}
