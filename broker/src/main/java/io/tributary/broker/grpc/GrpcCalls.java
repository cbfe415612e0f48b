package io.tributary.broker.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.RetriableException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place request-level failures become gRPC statuses: {@link InvalidRequestException} is
 * INVALID_ARGUMENT, a retriable failure ({@link BrokerNotAvailableException}, a node that is not
 * serving, an unreachable controller) is UNAVAILABLE, anything else INTERNAL with its message. Per-partition errors never come through here:
 * handlers put them in the response.
 */
public final class GrpcCalls {

    private static final Logger log = LoggerFactory.getLogger(GrpcCalls.class);

    private final BooleanSupplier serving;

    /** @param serving false while the node starts or shuts down; requests are then refused with UNAVAILABLE */
    public GrpcCalls(BooleanSupplier serving) {
        this.serving = serving;
    }

    /** Runs an asynchronous handler and completes {@code observer} with its result or mapped failure. */
    public <T> void async(StreamObserver<T> observer, Supplier<CompletableFuture<T>> handler) {
        CompletableFuture<T> future;
        try {
            ensureServing();
            future = handler.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e));
            return;
        }
        future.whenComplete((value, error) -> {
            if (error != null) {
                observer.onError(toStatus(error));
            } else {
                observer.onNext(value);
                observer.onCompleted();
            }
        });
    }

    /** Runs a synchronous handler. */
    public <T> void unary(StreamObserver<T> observer, Supplier<T> handler) {
        async(observer, () -> CompletableFuture.completedFuture(handler.get()));
    }

    /** @throws BrokerNotAvailableException while the node is not serving */
    public void ensureServing() {
        if (!serving.getAsBoolean()) {
            throw new BrokerNotAvailableException("the node is not serving (starting up or shutting down)");
        }
    }

    /** Maps a request-level failure to a status carrying a message that says what was wrong. */
    public static StatusRuntimeException toStatus(Throwable error) {
        Throwable cause = Errors.unwrap(error);
        if (cause instanceof StatusRuntimeException status) {
            return status;
        }
        if (cause instanceof InvalidRequestException) {
            return Status.INVALID_ARGUMENT.withDescription(cause.getMessage()).asRuntimeException();
        }
        if (cause instanceof RetriableException) {
            return Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException();
        }
        log.error("Request failed unexpectedly", cause);
        return Status.INTERNAL.withDescription(cause.getClass().getSimpleName() + ": " + cause.getMessage())
                .withCause(cause).asRuntimeException();
    }
}
