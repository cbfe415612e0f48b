package io.tributary.quorum.transport;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.proto.quorum.v1.DescribeQuorumRequest;
import io.tributary.proto.quorum.v1.DescribeQuorumResponse;
import io.tributary.proto.quorum.v1.QuorumServiceGrpc;
import io.tributary.proto.quorum.v1.RaftEnvelope;
import io.tributary.proto.quorum.v1.ReplicaState;
import io.tributary.proto.quorum.v1.SendAck;
import io.tributary.quorum.raft.QuorumInfo;
import io.tributary.quorum.raft.RaftMessage;
import io.tributary.quorum.runtime.RaftDriver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raft messages over gRPC. One-way messages (votes, announcements) go as {@code QuorumService.Send}
 * calls to the receiver's controller listener. Requests (fetches) go as {@code Call}s: the receiver
 * keeps the call open until its driver produces the matching reply, which travels back as the call's
 * answer and is handed to this node's {@code inbox}. So a leader answers observers (brokers) it has
 * no address for. One channel per peer, reused. Lost or failed messages are only logged: Raft
 * retries by itself.
 */
public final class GrpcRaftTransport implements RaftDriver.Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GrpcRaftTransport.class);
    private static final long SEND_DEADLINE_MS = 2_000;
    /**
     * Largest Raft message accepted: a fetch answer carries up to 4 MiB of entries plus one entry of
     * up to {@code QuorumController.MAX_ENTRY_BYTES} (8 MiB); servers must accept as much.
     */
    public static final int MAX_MESSAGE_BYTES = 32 << 20;

    /** A request received and not yet answered, by requester and request id. */
    private record PendingKey(int requester, long requestId) {
    }

    private final int selfId;
    private final IntFunction<InetSocketAddress> peers;
    private final Consumer<RaftMessage> inbox;
    private final Map<Integer, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<PendingKey, StreamObserver<RaftEnvelope>> pendingCalls = new ConcurrentHashMap<>();

    /**
     * @param selfId this node
     * @param peers  the controller-listener address of a node this one sends to (the voters), or null;
     *               looked up on every send, so a test may bind servers before it knows every port
     * @param inbox  receives the replies to this node's requests (the local driver's deliver)
     */
    public GrpcRaftTransport(int selfId, IntFunction<InetSocketAddress> peers, Consumer<RaftMessage> inbox) {
        this.selfId = selfId;
        this.peers = peers;
        this.inbox = inbox;
    }

    @Override
    public void send(RaftMessage message) {
        switch (message) {
            case RaftMessage.Reply reply -> answer(reply);
            case RaftMessage.Request request -> call(request);
            default -> sendOneWay(message);
        }
    }

    private void answer(RaftMessage.Reply reply) {
        StreamObserver<RaftEnvelope> call = pendingCalls.remove(new PendingKey(reply.to(), reply.requestId()));
        if (call == null) {
            log.debug("The call for {} ended (deadline or cancellation); dropping the reply", reply);
            return;
        }
        try {
            call.onNext(RaftMessageCodec.encode(reply));
            call.onCompleted();
        } catch (RuntimeException e) {
            log.debug("Answering node {} failed: {}", reply.to(), e.toString());
        }
    }

    private void call(RaftMessage.Request request) {
        ManagedChannel channel = channelTo(request.to());
        if (channel == null) {
            return;
        }
        long waitMs = request instanceof RaftMessage.FetchRequest fetch ? fetch.maxWaitMs() : 0;
        QuorumServiceGrpc.newStub(channel).withDeadlineAfter(SEND_DEADLINE_MS + waitMs, TimeUnit.MILLISECONDS)
                .call(RaftMessageCodec.encode(request), new StreamObserver<>() {
                    @Override
                    public void onNext(RaftEnvelope reply) {
                        deliverReply(request, reply);
                    }

                    @Override
                    public void onError(Throwable error) {
                        log.debug("Call to node {} failed: {}", request.to(), Status.fromThrowable(error));
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private void deliverReply(RaftMessage.Request request, RaftEnvelope envelope) {
        RaftMessage reply;
        try {
            reply = RaftMessageCodec.decode(envelope);
        } catch (IllegalArgumentException e) {
            log.warn("Node {} answered a request with a malformed message: {}", request.to(), e.getMessage());
            return;
        }
        if (!(reply instanceof RaftMessage.Reply answer) || answer.to() != selfId || answer.from() != request.to()
                || answer.requestId() != request.requestId()) {
            log.warn("Node {} answered {} with an unrelated message {}", request.to(), request, reply);
            return;
        }
        inbox.accept(reply);
    }

    private void sendOneWay(RaftMessage message) {
        ManagedChannel channel = channelTo(message.to());
        if (channel == null) {
            return;
        }
        QuorumServiceGrpc.newStub(channel).withDeadlineAfter(SEND_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .send(RaftMessageCodec.encode(message), new StreamObserver<>() {
                    @Override
                    public void onNext(SendAck ack) {
                    }

                    @Override
                    public void onError(Throwable error) {
                        log.debug("Sending to node {} failed: {}", message.to(), Status.fromThrowable(error));
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private ManagedChannel channelTo(int nodeId) {
        InetSocketAddress address = peers.apply(nodeId);
        if (address == null) {
            log.debug("No address for node {}; dropping a message to it", nodeId);
            return null;
        }
        return channels.computeIfAbsent(nodeId, id -> NettyChannelBuilder
                .forAddress(address.getHostString(), address.getPort()).usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES).build());
    }

    /**
     * Asks node {@code nodeId}, over its controller listener, how it sees the quorum. Fails with a
     * {@link BrokerNotAvailableException} naming the node when it has no address here or does not
     * answer within {@code timeoutMs}.
     */
    public CompletableFuture<QuorumInfo> describeQuorumAt(int nodeId, long timeoutMs) {
        ManagedChannel channel = channelTo(nodeId);
        if (channel == null) {
            return CompletableFuture.failedFuture(new BrokerNotAvailableException("controller " + nodeId
                    + " has no address in controller.quorum.voters"));
        }
        CompletableFuture<QuorumInfo> answer = new CompletableFuture<>();
        QuorumServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
                .describeQuorum(DescribeQuorumRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(DescribeQuorumResponse response) {
                        answer.complete(fromProto(response));
                    }

                    @Override
                    public void onError(Throwable error) {
                        InetSocketAddress address = peers.apply(nodeId);
                        Status status = Status.fromThrowable(error);
                        answer.completeExceptionally(new BrokerNotAvailableException("controller " + nodeId + " at "
                                + address.getHostString() + ":" + address.getPort()
                                + " did not describe the metadata quorum: " + status.getCode()
                                + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")"), error));
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return answer;
    }

    private static QuorumInfo fromProto(DescribeQuorumResponse response) {
        return new QuorumInfo(response.getLeaderId(), response.getLeaderEpoch(), response.getHighWatermark(),
                response.getVotersList().stream().map(GrpcRaftTransport::fromProto).toList(),
                response.getObserversList().stream().map(GrpcRaftTransport::fromProto).toList());
    }

    private static QuorumInfo.ReplicaState fromProto(ReplicaState state) {
        return new QuorumInfo.ReplicaState(state.getNodeId(), state.getLogEndOffset(),
                state.getLastFetchTimestampMs(), state.getLastCaughtUpTimestampMs());
    }

    /**
     * The server side: decodes, checks the address and hands messages to {@code sink} (the local
     * driver); keeps request calls open until {@link #send} gets their reply; answers DescribeQuorum
     * from {@code describe}.
     */
    public QuorumServiceGrpc.QuorumServiceImplBase service(Consumer<RaftMessage> sink,
                                                           Supplier<CompletableFuture<QuorumInfo>> describe) {
        return new QuorumServiceGrpc.QuorumServiceImplBase() {
            @Override
            public void describeQuorum(DescribeQuorumRequest request, StreamObserver<DescribeQuorumResponse> responses) {
                describe.get().whenComplete((info, error) -> {
                    if (error != null) {
                        responses.onError(Status.UNAVAILABLE.withDescription(error.getMessage()).asRuntimeException());
                    } else {
                        responses.onNext(toProto(info));
                        responses.onCompleted();
                    }
                });
            }

            @Override
            public void send(RaftEnvelope envelope, StreamObserver<SendAck> responses) {
                RaftMessage message = decodeFor(envelope, responses);
                if (message == null) {
                    return;
                }
                if (message instanceof RaftMessage.Request) {
                    responses.onError(invalid("a " + message.getClass().getSimpleName() + " must be sent with Call"));
                    return;
                }
                sink.accept(message);
                responses.onNext(SendAck.getDefaultInstance());
                responses.onCompleted();
            }

            @Override
            public void call(RaftEnvelope envelope, StreamObserver<RaftEnvelope> responses) {
                RaftMessage message = decodeFor(envelope, responses);
                if (message == null) {
                    return;
                }
                if (!(message instanceof RaftMessage.Request request)) {
                    responses.onError(invalid("a " + message.getClass().getSimpleName() + " is not a request"));
                    return;
                }
                PendingKey key = new PendingKey(request.from(), request.requestId());
                ServerCallStreamObserver<RaftEnvelope> call = (ServerCallStreamObserver<RaftEnvelope>) responses;
                call.setOnCancelHandler(() -> pendingCalls.remove(key, call));
                StreamObserver<RaftEnvelope> replaced = pendingCalls.put(key, call);
                if (replaced != null) {
                    replaced.onError(Status.ABORTED.withDescription("superseded by a request with the same id")
                            .asRuntimeException());
                }
                sink.accept(message);
            }
        };
    }

    private RaftMessage decodeFor(RaftEnvelope envelope, StreamObserver<?> responses) {
        try {
            RaftMessage message = RaftMessageCodec.decode(envelope);
            if (message.to() == selfId) {
                return message;
            }
            responses.onError(invalid("message for node " + message.to() + " sent to node " + selfId));
        } catch (IllegalArgumentException e) {
            responses.onError(invalid(e.getMessage()));
        }
        return null;
    }

    private static StatusRuntimeException invalid(String why) {
        return Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException();
    }

    private static DescribeQuorumResponse toProto(QuorumInfo info) {
        DescribeQuorumResponse.Builder response = DescribeQuorumResponse.newBuilder().setLeaderId(info.leaderId())
                .setLeaderEpoch(info.epoch()).setHighWatermark(info.highWatermark());
        info.voters().forEach(v -> response.addVoters(toProto(v)));
        info.observers().forEach(o -> response.addObservers(toProto(o)));
        return response.build();
    }

    private static ReplicaState toProto(QuorumInfo.ReplicaState state) {
        return ReplicaState.newBuilder().setNodeId(state.nodeId()).setLogEndOffset(state.endOffset())
                .setLastFetchTimestampMs(state.lastFetchMs()).setLastCaughtUpTimestampMs(state.lastCaughtUpMs()).build();
    }

    @Override
    public void close() {
        for (PendingKey key : List.copyOf(pendingCalls.keySet())) {
            StreamObserver<RaftEnvelope> call = pendingCalls.remove(key);
            if (call != null) {
                call.onError(Status.UNAVAILABLE.withDescription("node " + selfId + " is shutting down")
                        .asRuntimeException());
            }
        }
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
