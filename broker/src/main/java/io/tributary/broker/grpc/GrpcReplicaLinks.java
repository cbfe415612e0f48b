package io.tributary.broker.grpc;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tributary.broker.replica.ReplicaLinks;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.proto.replica.v1.ReplicaServiceGrpc;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Replicate streams over gRPC, on the shared {@link BrokerChannels} (one channel per leader broker,
 * at the address the metadata gives). Thread-safe.
 */
public final class GrpcReplicaLinks implements ReplicaLinks, AutoCloseable {

    private final IntFunction<Optional<InetSocketAddress>> addresses;
    private final BrokerChannels channels;

    /**
     * @param addresses a broker's address (from the metadata), empty when unknown
     * @param channels the channels to the other brokers, owned (closed) by these links from now on;
     *                 their largest accepted answer must fit a replication answer
     */
    public GrpcReplicaLinks(IntFunction<Optional<InetSocketAddress>> addresses, BrokerChannels channels) {
        this.addresses = addresses;
        this.channels = channels;
    }

    @Override
    public Stream open(int leaderId, Receiver receiver) {
        ManagedChannel channel = channelTo(leaderId);
        StreamCall call = new StreamCall(receiver);
        ReplicaServiceGrpc.newStub(channel).replicate(call);
        return call;
    }

    private ManagedChannel channelTo(int brokerId) {
        InetSocketAddress address = addresses.apply(brokerId).orElseThrow(() ->
                new BrokerNotAvailableException("the address of broker " + brokerId + " is not known"));
        ManagedChannel channel = channels.channelTo(brokerId, address);
        // A stream is reopened after a failure: a restarted leader must not wait out gRPC's
        // reconnect backoff (up to two minutes).
        channel.resetConnectBackoff();
        return channel;
    }

    /** Closes the broker channels: these links own them. */
    @Override
    public void close() {
        channels.close();
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
