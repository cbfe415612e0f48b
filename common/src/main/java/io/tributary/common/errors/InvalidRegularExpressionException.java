package io.tributary.common.errors;

import io.tributary.proto.v1.ErrorCode;

/** A subscription's regular expression does not compile. */
public class InvalidRegularExpressionException extends ApiException {

    public InvalidRegularExpressionException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ERROR_CODE_INVALID_REGULAR_EXPRESSION;
    }
}
