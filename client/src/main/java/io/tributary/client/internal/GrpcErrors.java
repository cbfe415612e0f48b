package io.tributary.client.internal;

import io.grpc.Status;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.RecordTooLargeException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.errors.UnknownServerException;
import io.tributary.proto.v1.ErrorCode;

/**
 * The one place the client turns failures into its public exceptions: per-partition
 * {@link ErrorCode}s through {@link Errors}, request-level gRPC statuses here. UNAVAILABLE (the
 * broker is down, starting or stopping) and DEADLINE_EXCEEDED are retriable; INVALID_ARGUMENT and
 * the rest are fatal.
 */
public final class GrpcErrors {

    private GrpcErrors() {
    }

    /** The exception for a per-partition code, or null for ERROR_CODE_NONE. */
    public static TributaryException fromCode(ErrorCode code, String message) {
        return Errors.exceptionFor(code, message);
    }

    /**
     * The exception for any failure of a call to {@code target} (a broker address or node): a gRPC
     * status, or an exception the client already mapped, which is returned as is.
     */
    public static TributaryException fromThrowable(Throwable error, String target) {
        Throwable cause = Errors.unwrap(error);
        if (cause instanceof TributaryException known) {
            return known;
        }
        Status status = Status.fromThrowable(cause);
        String detail = status.getDescription() != null ? status.getDescription()
                : status.getCause() != null ? status.getCause().toString() : "";
        String message = status.getCode() + " from " + target + (detail.isEmpty() ? "" : ": " + detail);
        switch (status.getCode()) {
            case UNAVAILABLE:
            case CANCELLED:
            case ABORTED:
                return new BrokerNotAvailableException(message, cause);
            case DEADLINE_EXCEEDED:
                return new TimeoutException(message, cause);
            case INVALID_ARGUMENT:
            case OUT_OF_RANGE:
            case FAILED_PRECONDITION:
                return new InvalidRequestException(message);
            case RESOURCE_EXHAUSTED:
                return new RecordTooLargeException(message);
            default:
                return new UnknownServerException(message, cause);
        }
    }
}
