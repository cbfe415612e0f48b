package io.tributary.client.admin.internal;

import io.grpc.Channel;
import io.tributary.client.Node;
import io.tributary.client.internal.GroupCoordinators;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An admin call that only one node can answer: a group's coordinator, or one given broker. Each
 * attempt asks its {@link Target} for the node, then sends the RPC there with a deadline of
 * {@code request.timeout.ms} cut to the time left. Retried after a doubling backoff, with the
 * target told to forget the node where that can help: a retriable lookup or transport failure
 * (UNAVAILABLE, DEADLINE_EXCEEDED, COORDINATOR_NOT_AVAILABLE while __consumer_offsets is being
 * created), and an answer whose error code is a coordinator error (NOT_COORDINATOR,
 * COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS). Any other answer completes the call,
 * whatever its error code: the caller settles per-group and per-partition outcomes. Other
 * failures fail the call with the mapped exception; at the deadline it fails with a
 * {@link io.tributary.common.errors.TimeoutException} naming the call and the last error.
 *
 * <p>Thread-safety: attempts run one at a time (each is started by the previous one's failure), on
 * gRPC callback threads, the admin metadata thread and the admin timer thread.
 *
 * @param <R> the response type
 */
public final class TargetedCall<R> extends RetryLoop<R> {

    /** Where the attempts go. */
    public interface Target {

        /** The node for the next attempt; may look it up (never blocking the caller). */
        CompletableFuture<Node> node();

        /** The node did not answer, or answered that it is not the one: look it up again next time. */
        void forget();

        /** Names the target in the timeout message before any node was found, e.g. "the coordinator of group 'g'". */
        String description();
    }

    /** Attempts to {@code node}, whatever happens. */
    public static Target to(Node node) {
        return new Target() {
            @Override
            public CompletableFuture<Node> node() {
                return CompletableFuture.completedFuture(node);
            }

            @Override
            public void forget() {
                // A fixed target has nothing to look up again.
            }

            @Override
            public String description() {
                return "broker " + node;
            }
        };
    }

    /** The group-level error of an answer: its code (NONE when it has none) and message. */
    public record Outcome(ErrorCode code, String message) {

        /** The outcome of an answer without a group-level error. */
        public static final Outcome NONE = new Outcome(ErrorCode.ERROR_CODE_NONE, "");
    }

    /** One attempt, sent to {@code node} over {@code channel}; must not block. */
    @FunctionalInterface
    public interface NodeRpc<R> {
        CompletableFuture<R> send(Node node, Channel channel, long timeoutMs);
    }

    private final Target target;
    private final NodeRpc<R> rpc;
    private final Function<R, Outcome> outcome;
    private volatile String waitingFor;

    private TargetedCall(AdminRuntime runtime, String name, Deadline deadline, Target target, NodeRpc<R> rpc,
                         Function<R, Outcome> outcome) {
        super(runtime, name, deadline);
        this.target = target;
        this.rpc = rpc;
        this.outcome = outcome;
        this.waitingFor = target.description();
    }

    /**
     * Starts the call. The returned future completes with the first answer that is not a
     * coordinator error, or fails with the mapped fatal exception, a TimeoutException, or an
     * IllegalStateException when the client is closed.
     *
     * @param outcome reads an answer's group-level error
     */
    public static <R> CompletableFuture<R> start(AdminRuntime runtime, String name, Deadline deadline, Target target,
                                                 NodeRpc<R> rpc, Function<R, Outcome> outcome) {
        return new TargetedCall<>(runtime, name, deadline, target, rpc, outcome).start();
    }

    @Override
    void send() {
        target.node().whenComplete((node, error) -> {
            Throwable cause = error == null ? null : Errors.unwrap(error);
            if (cause instanceof IllegalStateException) {
                result.completeExceptionally(cause);
            } else if (cause != null) {
                onFailure(GrpcErrors.fromThrowable(cause, target.description()), false);
            } else {
                send(node);
            }
        });
    }

    private void send(Node node) {
        waitingFor = node.address();
        CompletableFuture<R> sent;
        try {
            sent = rpc.send(node, runtime.channel(node), runtime.attemptTimeoutMs(deadline));
        } catch (IllegalStateException e) {
            result.completeExceptionally(e);
            return;
        }
        sent.whenComplete((response, error) -> {
            if (error != null) {
                onFailure(GrpcErrors.fromThrowable(error, node.address()), true);
                return;
            }
            Outcome answer = outcome.apply(response);
            TributaryException answered = GrpcErrors.fromCode(answer.code(), shortName(answer.code()) + " from "
                    + node.address() + (answer.message().isEmpty() ? "" : ": " + answer.message()));
            if (GroupCoordinators.isCoordinatorError(answered)) {
                if (GroupCoordinators.needsRediscovery(answer.code())) {
                    target.forget();
                }
                retry(answered);
            } else {
                result.complete(response);
            }
        });
    }

    /** @param fromNode whether the node itself failed (so the next attempt should find it again) */
    private void onFailure(TributaryException error, boolean fromNode) {
        if (!(error instanceof RetriableException)) {
            result.completeExceptionally(error);
            return;
        }
        if (fromNode) {
            target.forget();
        }
        retry(error);
    }

    @Override
    String waitingFor() {
        return "no answer yet from " + waitingFor;
    }

    private static String shortName(ErrorCode code) {
        return code.name().startsWith("ERROR_CODE_") ? code.name().substring("ERROR_CODE_".length()) : code.name();
    }
}
