package io.tributary.quorum.transport;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raft messages over gRPC: {@link #send} makes an asynchronous {@code QuorumService.Send} call to the
 * receiver's controller listener (one channel per peer, reused), and {@link #service} is the server
 * side that hands incoming messages to the local driver. Lost or failed sends are only logged: Raft
 * retries by itself.
 */
public final class GrpcRaftTransport implements RaftDriver.Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GrpcRaftTransport.class);
    private static final long SEND_DEADLINE_MS = 2_000;

    private final Map<Integer, InetSocketAddress> peers;
    private final Map<Integer, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** @param peers the address of every node this one sends to (voters, and for a leader its observers) */
    public GrpcRaftTransport(Map<Integer, InetSocketAddress> peers) {
        this.peers = Map.copyOf(peers);
    }

    @Override
    public void send(RaftMessage message) {
        InetSocketAddress address = peers.get(message.to());
        if (address == null) {
            log.debug("No address for node {}; dropping {}", message.to(), message);
            return;
        }
        ManagedChannel channel = channels.computeIfAbsent(message.to(), id -> NettyChannelBuilder
                .forAddress(address.getHostString(), address.getPort()).usePlaintext().build());
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

    /**
     * The server side for node {@code selfId}: decodes, checks the address and hands messages to
     * {@code sink}; answers DescribeQuorum from {@code describe}.
     */
    public static QuorumServiceGrpc.QuorumServiceImplBase service(int selfId, Consumer<RaftMessage> sink,
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
                RaftMessage message;
                try {
                    message = RaftMessageCodec.decode(envelope);
                } catch (IllegalArgumentException e) {
                    responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                    return;
                }
                if (message.to() != selfId) {
                    responses.onError(Status.INVALID_ARGUMENT.withDescription("message for node " + message.to()
                            + " sent to node " + selfId).asRuntimeException());
                    return;
                }
                sink.accept(message);
                responses.onNext(SendAck.getDefaultInstance());
                responses.onCompleted();
            }
        };
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
                .setLastFetchTimestampMs(state.lastFetchMs()).build();
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
