package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** Another member joined with this member's group.instance.id and replaced it. */
public class FencedInstanceIdException extends ApiException {

    public FencedInstanceIdException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_FENCED_INSTANCE_ID;
    }
}
