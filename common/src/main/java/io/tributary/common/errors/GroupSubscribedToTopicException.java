package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A member of the group subscribes to the topic whose offsets were to be deleted. */
public class GroupSubscribedToTopicException extends ApiException {

    public GroupSubscribedToTopicException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_GROUP_SUBSCRIBED_TO_TOPIC;
    }
}
