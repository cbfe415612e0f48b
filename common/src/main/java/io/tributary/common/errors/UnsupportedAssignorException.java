package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** The requested server-side assignor does not exist. */
public class UnsupportedAssignorException extends ApiException {

    public UnsupportedAssignorException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_UNSUPPORTED_ASSIGNOR;
    }
}
