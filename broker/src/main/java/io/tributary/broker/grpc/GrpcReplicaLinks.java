package io.tributary.broker.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tributary.broker.replica.ReplicaLinks;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.proto.replica.v1.ReplicaServiceGrpc;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Replicate streams over gRPC: one channel per leader broker, at the address the metadata gives
 * (a new channel when it changes). Thread-safe.
 */
public final class GrpcReplicaLinks implements ReplicaLinks, AutoCloseable {

    private record Channel(InetSocketAddress address, ManagedChannel channel) {
    }

    private final IntFunction<Optional<InetSocketAddress>> addresses;
    private final int maxInboundBytes;
    private final Map<Integer, Channel> channels = new HashMap<>();
    private boolean closed;

    /**
     * @param addresses a broker's address (from the metadata), empty when unknown
     * @param maxInboundBytes the largest answer accepted
     */
    public GrpcReplicaLinks(IntFunction<Optional<InetSocketAddress>> addresses, int maxInboundBytes) {
        this.addresses = addresses;
        this.maxInboundBytes = maxInboundBytes;
    }

    @Override
    public Stream open(int leaderId, Receiver receiver) {
        ManagedChannel channel = channelTo(leaderId);
        StreamCall call = new StreamCall(receiver);
        ReplicaServiceGrpc.newStub(channel).replicate(call);
        return call;
    }

    private synchronized ManagedChannel channelTo(int brokerId) {
        if (closed) {
            throw new BrokerNotAvailableException("the node is shutting down");
        }
        InetSocketAddress address = addresses.apply(brokerId).orElseThrow(() ->
                new BrokerNotAvailableException("the address of broker " + brokerId + " is not known"));
        Channel existing = channels.get(brokerId);
        if (existing != null && existing.address().equals(address)) {
            // A stream is reopened after a failure: a restarted leader must not wait out gRPC's
            // reconnect backoff (up to two minutes).
            existing.channel().resetConnectBackoff();
            return existing.channel();
        }
        if (existing != null) {
            existing.channel().shutdown();
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress(address.getHostString(), address.getPort()).usePlaintext()
                .maxInboundMessageSize(maxInboundBytes).build();
        channels.put(brokerId, new Channel(address, channel));
        return channel;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Channel channel : channels.values()) {
            channel.channel().shutdownNow();
        }
        for (Channel channel : channels.values()) {
            try {
                channel.channel().awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One stream: requests out, answers to the receiver. Sends are serialised on this object. */
    private static final class StreamCall implements Stream,
            ClientResponseObserver<ReplicaFetchRequest, ReplicaFetchResponse> {

        private final Receiver receiver;
        private ClientCallStreamObserver<ReplicaFetchRequest> requests;
        private boolean cancelled;

        StreamCall(Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public synchronized void beforeStart(ClientCallStreamObserver<ReplicaFetchRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public synchronized void send(ReplicaFetchRequest request) {
            if (!cancelled) {
                requests.onNext(request);
            }
        }

        @Override
        public synchronized void close() {
            if (!cancelled) {
                cancelled = true;
                requests.cancel("the follower closed the stream", null);
            }
        }

        @Override
        public void onNext(ReplicaFetchResponse value) {
            receiver.onAnswer(value);
        }

        @Override
        public void onError(Throwable t) {
            receiver.onClosed(t);
        }

        @Override
        public void onCompleted() {
            receiver.onClosed(null);
        }
    }
}
