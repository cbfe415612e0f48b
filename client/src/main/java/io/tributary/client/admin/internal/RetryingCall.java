package io.tributary.client.admin.internal;

import io.tributary.client.internal.ClientMetadata.HostPort;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TributaryException;
import java.util.concurrent.CompletableFuture;

/**
 * An admin call any broker can answer. Each attempt goes to the next candidate broker (known brokers,
 * then the bootstrap servers) with an RPC deadline of {@code request.timeout.ms} cut to the time
 * left. A failure that maps (through {@link GrpcErrors}) to a {@link RetriableException}, such as
 * UNAVAILABLE or DEADLINE_EXCEEDED, is retried after a doubling backoff; any other fails the call
 * with the mapped exception. At the deadline the call fails with a
 * {@link io.tributary.common.errors.TimeoutException} naming the call, the elapsed time and the
 * last error.
 *
 * <p>Thread-safety: attempts run one at a time (each is started by the previous one's failure), on
 * gRPC callback threads and the admin timer thread.
 *
 * @param <R> the response type
 */
public final class RetryingCall<R> extends RetryLoop<R> {

    private final Rpc<R> rpc;
    private final int firstTarget;
    private volatile HostPort current;

    private RetryingCall(AdminRuntime runtime, String name, Integer timeoutMs, Rpc<R> rpc) {
        super(runtime, name, runtime.deadline(timeoutMs));
        this.rpc = rpc;
        this.firstTarget = runtime.firstTarget();
    }

    /**
     * Starts the call. The returned future completes with the response, or fails with the mapped
     * fatal exception, a TimeoutException, or an IllegalStateException when the client is closed.
     */
    public static <R> CompletableFuture<R> start(AdminRuntime runtime, String name, Integer timeoutMs, Rpc<R> rpc) {
        return new RetryingCall<>(runtime, name, timeoutMs, rpc).start();
    }

    @Override
    void send() {
        HostPort target = runtime.target(firstTarget + failures());
        current = target;
        CompletableFuture<R> sent;
        try {
            sent = rpc.send(runtime.channel(target), runtime.attemptTimeoutMs(deadline));
        } catch (IllegalStateException e) {
            result.completeExceptionally(e);
            return;
        }
        sent.whenComplete((response, error) -> {
            if (error == null) {
                result.complete(response);
            } else {
                onFailure(target, error);
            }
        });
    }

    private void onFailure(HostPort target, Throwable error) {
        TributaryException mapped = GrpcErrors.fromThrowable(error, target.toString());
        if (mapped instanceof RetriableException) {
            retry(mapped);
        } else {
            result.completeExceptionally(mapped);
        }
    }

    @Override
    String waitingFor() {
        HostPort waitingFor = current;
        return waitingFor == null ? "no attempt was made" : "no answer yet from " + waitingFor;
    }
}
