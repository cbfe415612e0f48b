package io.tributary.quorum.transport;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.proto.controller.v1.AllocateProducerIdsRequest;
import io.tributary.proto.controller.v1.AllocateProducerIdsResponse;
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
import io.tributary.quorum.controller.QuorumController;
import io.tributary.quorum.runtime.MetadataQuorum;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a broker reaches the active controller: the metadata quorum's leader, as this node's Raft
 * replica knows it. Calls go straight to the local {@link QuorumController} when this (combined)
 * node leads, over gRPC to the leader's controller listener otherwise. Retriable failures
 * (NOT_CONTROLLER, an unknown or unreachable leader) are retried with backoff — the leader hint is
 * refreshed by Raft meanwhile — until the call's timeout. Thread-safe.
 */
public final class ControllerClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerClient.class);

    private final MetadataQuorum quorum;
    private final QuorumController local;
    private final long retryBackoffMs;
    private final long requestTimeoutMs;
    private final Map<Integer, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "controller-client-retry");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param local            this node's controller, or null on a broker-only node
     * @param requestTimeoutMs how long one call keeps retrying before it fails with a timeout
     */
    public ControllerClient(MetadataQuorum quorum, QuorumController local, long retryBackoffMs,
                            long requestTimeoutMs) {
        this.quorum = quorum;
        this.local = local;
        this.retryBackoffMs = retryBackoffMs;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    public CompletableFuture<BrokerRegistrationResponse> registerBroker(BrokerRegistrationRequest request) {
        return call("RegisterBroker", c -> c.registerBroker(request), (s, o) -> s.registerBroker(request, o));
    }

    public CompletableFuture<BrokerHeartbeatResponse> heartbeat(BrokerHeartbeatRequest request) {
        return call("BrokerHeartbeat", c -> c.heartbeat(request), (s, o) -> s.brokerHeartbeat(request, o));
    }

    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest request) {
        return call("CreateTopics", c -> c.createTopics(request), (s, o) -> s.createTopics(request, o));
    }

    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest request) {
        return call("DeleteTopics", c -> c.deleteTopics(request), (s, o) -> s.deleteTopics(request, o));
    }

    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest request) {
        return call("CreatePartitions", c -> c.createPartitions(request), (s, o) -> s.createPartitions(request, o));
    }

    public CompletableFuture<AllocateProducerIdsResponse> allocateProducerIds(AllocateProducerIdsRequest request) {
        return call("AllocateProducerIds", c -> c.allocateProducerIds(request),
                (s, o) -> s.allocateProducerIds(request, o));
    }

    private <R> CompletableFuture<R> call(String name, Function<QuorumController, CompletableFuture<R>> localCall,
                                          BiConsumer<ControllerServiceStub, StreamObserver<R>> remoteCall) {
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(name, localCall, remoteCall, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs),
                result, null);
        return result;
    }

    private <R> void attempt(String name, Function<QuorumController, CompletableFuture<R>> localCall,
                             BiConsumer<ControllerServiceStub, StreamObserver<R>> remoteCall, long deadlineNs,
                             CompletableFuture<R> result, Throwable lastError) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
        if (remainingMs <= 0) {
            result.completeExceptionally(new TimeoutException(name + " to the active controller did not succeed "
                    + "within " + requestTimeoutMs + " ms; last error: " + lastError, lastError));
            return;
        }
        CompletableFuture<R> attempt = send(localCall, remoteCall, remainingMs);
        attempt.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = Errors.unwrap(error);
            if (!(cause instanceof RetriableException)) {
                result.completeExceptionally(cause);
                return;
            }
            log.debug("{} to the controller failed, retrying: {}", name, cause.getMessage());
            try {
                retries.schedule(() -> attempt(name, localCall, remoteCall, deadlineNs, result, cause), retryBackoffMs,
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                result.completeExceptionally(new BrokerNotAvailableException("the node is shutting down", cause));
            }
        });
    }

    private <R> CompletableFuture<R> send(Function<QuorumController, CompletableFuture<R>> localCall,
                                          BiConsumer<ControllerServiceStub, StreamObserver<R>> remoteCall,
                                          long timeoutMs) {
        int leader = quorum.leaderId();
        if (leader < 0) {
            return CompletableFuture.failedFuture(new BrokerNotAvailableException("no active controller is known yet"));
        }
        if (leader == quorum.nodeId() && local != null) {
            return localCall.apply(local);
        }
        InetSocketAddress address = quorum.voters().get(leader);
        if (address == null) {
            return CompletableFuture.failedFuture(new BrokerNotAvailableException("the active controller, node "
                    + leader + ", has no address in controller.quorum.voters"));
        }
        ManagedChannel channel = channels.computeIfAbsent(leader, id -> NettyChannelBuilder
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

    @Override
    public void close() {
        retries.shutdownNow();
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
