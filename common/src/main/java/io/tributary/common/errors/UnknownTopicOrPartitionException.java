package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The topic or partition does not exist (yet). */
public class UnknownTopicOrPartitionException extends RetriableException {

    public UnknownTopicOrPartitionException(String message) {
        super(message);
    }

    public UnknownTopicOrPartitionException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION;
    }
}
