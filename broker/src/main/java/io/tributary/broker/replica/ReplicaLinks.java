package io.tributary.broker.replica;

import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;

/** Opens Replicate streams to other brokers (the transport; implemented over gRPC). */
public interface ReplicaLinks {

    /**
     * Opens a stream to broker {@code leaderId}; its answers and its end go to {@code receiver}, on
     * a transport thread.
     *
     * @throws io.tributary.common.errors.BrokerNotAvailableException when the broker's address is unknown
     */
    Stream open(int leaderId, Receiver receiver);

    /** One open stream. */
    interface Stream {
        void send(ReplicaFetchRequest request);

        /** Cancels the stream; idempotent. */
        void close();
    }

    /** Receives a stream's answers and its end. */
    interface Receiver {
        void onAnswer(ReplicaFetchResponse response);

        /** The stream ended: {@code error} says why (null when the leader completed it). */
        void onClosed(Throwable error);
    }
}
