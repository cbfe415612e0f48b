package io.tributary.quorum.transport;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.NotControllerException;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.BrokerHeartbeatRequest;
import io.tributary.proto.controller.v1.BrokerHeartbeatResponse;
import io.tributary.proto.controller.v1.BrokerRegistrationRequest;
import io.tributary.proto.controller.v1.BrokerRegistrationResponse;
import io.tributary.proto.controller.v1.ControllerServiceGrpc;
import io.tributary.proto.controller.v1.ControllerServiceGrpc.ControllerServiceStub;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreatePartitionsResponse;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsResponse;
import io.tributary.proto.v1.ElectLeadersRequest;
import io.tributary.proto.v1.ElectLeadersResponse;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.IncrementalAlterConfigsResponse;
import io.tributary.quorum.controller.QuorumController;
import io.tributary.quorum.runtime.MetadataQuorum;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a broker reaches the active controller: the metadata quorum's leader, as this node's Raft
 * replica knows it. Calls go straight to the local {@link QuorumController} when this (combined)
 * node leads, over gRPC to the leader's controller listener otherwise. Each attempt has its own
 * deadline (a paused controller must not hold a heartbeat for the whole call). Retriable failures
 * are retried until the call's timeout: NOT_CONTROLLER at once at the controller it names; an
 * unreachable or silent controller after a backoff at the next voter, since this node's own Raft
 * replica may learn of a new leader only an election timeout later. Thread-safe.
 */
public final class ControllerClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerClient.class);

    private final MetadataQuorum quorum;
    private final QuorumController local;
    private final long retryBackoffMs;
    private final long attemptTimeoutMs;
    private final long requestTimeoutMs;
    private final Map<Integer, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final java.util.Set<Call<?>> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "controller-client-retry");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param local            this node's controller, or null on a broker-only node
     * @param attemptTimeoutMs how long one attempt of a broker-lifecycle call (registration,
     *                         heartbeat, ISR change) may take; administration attempts get a third of the
     *                         request timeout, as creating many partitions takes a while
     * @param requestTimeoutMs how long one call keeps retrying before it fails with a timeout
     */
    public ControllerClient(MetadataQuorum quorum, QuorumController local, long retryBackoffMs,
                            long attemptTimeoutMs, long requestTimeoutMs) {
        this.quorum = quorum;
        this.local = local;
        this.retryBackoffMs = retryBackoffMs;
        this.attemptTimeoutMs = attemptTimeoutMs;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    public CompletableFuture<BrokerRegistrationResponse> registerBroker(BrokerRegistrationRequest request) {
        return call("RegisterBroker", attemptTimeoutMs, c -> c.registerBroker(request), (s, o) -> s.registerBroker(request, o));
    }

    public CompletableFuture<BrokerHeartbeatResponse> heartbeat(BrokerHeartbeatRequest request) {
        return call("BrokerHeartbeat", attemptTimeoutMs, c -> c.heartbeat(request), (s, o) -> s.brokerHeartbeat(request, o));
    }

    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest request) {
        return call("CreateTopics", adminAttemptMs(), c -> c.createTopics(request), (s, o) -> s.createTopics(request, o));
    }

    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest request) {
        return call("DeleteTopics", adminAttemptMs(), c -> c.deleteTopics(request), (s, o) -> s.deleteTopics(request, o));
    }

    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest request) {
        return call("CreatePartitions", adminAttemptMs(), c -> c.createPartitions(request), (s, o) -> s.createPartitions(request, o));
    }

    public CompletableFuture<ElectLeadersResponse> electLeaders(ElectLeadersRequest request) {
        return call("ElectLeaders", adminAttemptMs(), c -> c.electLeaders(request), (s, o) -> s.electLeaders(request, o));
    }

    public CompletableFuture<IncrementalAlterConfigsResponse> incrementalAlterConfigs(
            IncrementalAlterConfigsRequest request) {
        return call("IncrementalAlterConfigs", adminAttemptMs(), c -> c.incrementalAlterConfigs(request),
                (s, o) -> s.incrementalAlterConfigs(request, o));
    }

    /**
     * A partition leader's ISR changes. Retried like the others, so a change whose answer was lost
     * may come back INVALID_UPDATE_VERSION although it committed (its partition epoch moved on): the
     * metadata image then shows the committed state.
     */
    public CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest request) {
        return call("AlterPartition", attemptTimeoutMs, c -> c.alterPartition(request),
                (s, o) -> s.alterPartition(request, o));
    }

    /** One call in progress: what it does, its deadline, and where the next attempt goes. */
    private final class Call<R> {
        private final String name;
        private final long attemptMs;
        private final Function<QuorumController, CompletableFuture<R>> localCall;
        private final BiConsumer<ControllerServiceStub, StreamObserver<R>> remoteCall;
        private final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
        private final CompletableFuture<R> result = new CompletableFuture<>();
        private int lastTarget = -1;
        private int lastRaftLeader = -1;
        private int nextTarget = -1;
        private boolean followedHint;

        Call(String name, long attemptMs, Function<QuorumController, CompletableFuture<R>> localCall,
             BiConsumer<ControllerServiceStub, StreamObserver<R>> remoteCall) {
            this.name = name;
            this.attemptMs = attemptMs;
            this.localCall = localCall;
            this.remoteCall = remoteCall;
        }

        void attempt(Throwable lastError) {
            if (closed) {
                finish(null, new BrokerNotAvailableException("the node is shutting down", lastError));
                return;
            }
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            if (remainingMs <= 0) {
                finish(null, new TimeoutException(name + " to the active controller did not succeed within "
                        + requestTimeoutMs + " ms; last error: " + lastError, lastError));
                return;
            }
            int target = chooseTarget();
            lastTarget = target;
            send(target, Math.min(remainingMs, attemptMs)).whenComplete((value, error) -> {
                if (error == null) {
                    finish(value, null);
                } else {
                    onFailure(Errors.unwrap(error));
                }
            });
        }

        void finish(R value, Throwable error) {
            calls.remove(this);
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(error);
            }
        }

        /** The named controller after NOT_CONTROLLER; else Raft's leader, unless it just failed us; else the next voter. */
        private int chooseTarget() {
            int raftLeader = quorum.leaderId();
            if (nextTarget >= 0) {
                int hinted = nextTarget;
                nextTarget = -1;
                return hinted;
            }
            if (raftLeader >= 0 && raftLeader != lastRaftLeader) {
                lastRaftLeader = raftLeader;
                return raftLeader;
            }
            List<Integer> voters = new ArrayList<>(new TreeSet<>(quorum.voters().keySet()));
            int index = voters.indexOf(lastTarget);
            return voters.get((index + 1) % voters.size());
        }

        private void onFailure(Throwable cause) {
            if (!(cause instanceof RetriableException)) {
                finish(null, cause);
                return;
            }
            log.debug("{} to controller {} failed, retrying: {}", name, lastTarget, cause.getMessage());
            long delayMs = retryBackoffMs;
            if (cause instanceof NotControllerException notController && notController.activeControllerId() >= 0
                    && notController.activeControllerId() != lastTarget) {
                nextTarget = notController.activeControllerId();
                // Follow a hint at once, but not hint after hint: two nodes with stale views would ping-pong.
                delayMs = followedHint ? retryBackoffMs : 0;
                followedHint = true;
            } else {
                followedHint = false;
            }
            try {
                retries.schedule(() -> attempt(cause), delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                finish(null, new BrokerNotAvailableException("the node is shutting down", cause));
            }
        }

        private CompletableFuture<R> send(int target, long timeoutMs) {
            if (target == quorum.nodeId() && local != null) {
                return localCall.apply(local).orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                        .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                                e instanceof java.util.concurrent.TimeoutException ? new BrokerNotAvailableException(
                                        "the local controller did not answer within " + timeoutMs + " ms") : e));
            }
            InetSocketAddress address = quorum.voters().get(target);
            if (address == null) {
                return CompletableFuture.failedFuture(new BrokerNotAvailableException("controller " + target
                        + " has no address in controller.quorum.voters"));
            }
            if (closed) {
                return CompletableFuture.failedFuture(new BrokerNotAvailableException("the node is shutting down"));
            }
            ManagedChannel channel = channels.computeIfAbsent(target, id -> NettyChannelBuilder
                    .forAddress(address.getHostString(), address.getPort()).usePlaintext().build());
            CompletableFuture<R> answer = new CompletableFuture<>();
            remoteCall.accept(ControllerServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(R value) {
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable error) {
                            answer.completeExceptionally(asException(error));
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            return answer;
        }
    }

    private long adminAttemptMs() {
        return Math.max(attemptTimeoutMs, requestTimeoutMs / 3);
    }

    private <R> CompletableFuture<R> call(String name, long attemptMs,
                                          Function<QuorumController, CompletableFuture<R>> localCall,
                                          BiConsumer<ControllerServiceStub, StreamObserver<R>> remoteCall) {
        Call<R> call = new Call<>(name, attemptMs, localCall, remoteCall);
        calls.add(call);
        call.attempt(null);
        return call.result;
    }

    /** Statuses with an error code become that exception; transport failures become retriable. */
    private static Throwable asException(Throwable error) {
        if (!(error instanceof StatusRuntimeException status)) {
            return error;
        }
        RuntimeException mapped = ControllerGrpcService.fromStatus(status);
        if (mapped != status) {
            return mapped;
        }
        Status.Code code = status.getStatus().getCode();
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.CANCELLED) {
            return new BrokerNotAvailableException("the controller could not be reached: " + status.getStatus(),
                    status);
        }
        return status;
    }

    /** Fails every call still in progress (none is left hanging) and releases the channels. */
    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        for (Call<?> call : List.copyOf(calls)) {
            call.finish(null, new BrokerNotAvailableException("the node is shutting down"));
        }
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
