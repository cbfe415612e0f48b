package io.tributary.client.producer.internal;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.tributary.client.Node;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceResponse;
import io.tributary.proto.v1.ProduceServiceGrpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer's ProduceStream to one broker: requests tagged with correlation ids go out in order,
 * responses are matched back by id. When the stream fails (broker gone, timeout), every request in
 * flight on it fails with a retriable error and the next send opens a new stream.
 *
 * <p>Thread-safety: all methods are synchronized; responses arrive on gRPC threads and are handed
 * to the {@link InFlight} callbacks outside the lock.
 */
final class ProduceConnection {

    /** A request waiting for its response. */
    interface InFlight {
        long sentMs();

        void onResponse(ProduceResponse response);

        void onFailure(TributaryException error);
    }

    private final Node node;
    private final ManagedChannel channel;
    private final Runnable onReady;
    private final Map<Long, InFlight> inFlight = new LinkedHashMap<>();
    private ClientCallStreamObserver<ProduceRequest> stream;
    private long nextCorrelationId;

    /** @param onReady called (on a gRPC thread) when a stream that was not ready can take requests again */
    ProduceConnection(Node node, ManagedChannel channel, Runnable onReady) {
        this.node = node;
        this.channel = channel;
        this.onReady = onReady;
    }

    Node node() {
        return node;
    }

    /** The retriable error of a request whose stream to {@code node} went away. */
    static TributaryException lost(Node node, String why) {
        return GrpcErrors.fromThrowable(io.grpc.Status.UNAVAILABLE.withDescription(why).asException(), "node " + node);
    }

    synchronized int inFlightCount() {
        return inFlight.size();
    }

    /**
     * Whether the transport can take another request without buffering it: false while HTTP/2 flow
     * control holds the stream back (a slow broker), so the producer's memory stays bounded by
     * {@code buffer.memory} even with acks=0.
     */
    synchronized boolean isReady() {
        return stream == null || stream.isReady();
    }

    /**
     * Sends a request; {@code callback} is null for acks=0 requests, which get no response.
     *
     * @return false when the stream could not take the request (it just failed); {@code callback} is
     *     then not called, and the caller retries or fails the request's batches itself
     */
    synchronized boolean send(ProduceRequest.Builder request, InFlight callback) {
        if (stream == null) {
            stream = open();
        }
        long correlationId = nextCorrelationId++;
        if (callback != null) {
            inFlight.put(correlationId, callback);
        }
        try {
            stream.onNext(request.setCorrelationId(correlationId).build());
            return true;
        } catch (RuntimeException e) {
            inFlight.remove(correlationId);
            fail(stream, GrpcErrors.fromThrowable(e, "node " + node));
            return false;
        }
    }

    /** Fails the stream if its oldest request has waited longer than {@code requestTimeoutMs}. */
    void failIfTimedOut(long requestTimeoutMs, long nowMs) {
        ClientCallStreamObserver<ProduceRequest> timedOut;
        synchronized (this) {
            InFlight oldest = inFlight.isEmpty() ? null : inFlight.values().iterator().next();
            if (oldest == null || nowMs - oldest.sentMs() < requestTimeoutMs) {
                return;
            }
            timedOut = stream;
        }
        fail(timedOut, new TimeoutException("no produce response from node " + node + " within request.timeout.ms ("
                + requestTimeoutMs + " ms)"));
    }

    /**
     * Ends the stream: gracefully when nothing is in flight; otherwise (a forced close) the stream is
     * cancelled and every request in flight fails with {@code inFlightError}, so no future is left
     * pending.
     */
    void close(TributaryException inFlightError) {
        ClientCallStreamObserver<ProduceRequest> current;
        synchronized (this) {
            current = stream;
            if (current == null) {
                return;
            }
            if (inFlight.isEmpty()) {
                current.onCompleted();
                stream = null;
                return;
            }
        }
        fail(current, inFlightError);
    }

    private ClientCallStreamObserver<ProduceRequest> open() {
        ResponseHandler handler = new ResponseHandler();
        ProduceServiceGrpc.newStub(channel).produceStream(handler);
        return handler.requests;
    }

    private void onResponse(ProduceResponse response) {
        InFlight callback;
        synchronized (this) {
            callback = inFlight.remove(response.getCorrelationId());
        }
        if (callback != null) {
            callback.onResponse(response);
        }
    }

    /** Fails every request in flight on {@code failed} if it is still the current stream. */
    private void fail(ClientCallStreamObserver<ProduceRequest> failed, TributaryException error) {
        List<InFlight> orphans;
        synchronized (this) {
            if (failed == null || failed != stream) {
                return;
            }
            stream = null;
            orphans = new ArrayList<>(inFlight.values());
            inFlight.clear();
        }
        failed.cancel(error.getMessage(), null);
        orphans.forEach(orphan -> orphan.onFailure(error));
    }

    private final class ResponseHandler implements ClientResponseObserver<ProduceRequest, ProduceResponse> {
        private ClientCallStreamObserver<ProduceRequest> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<ProduceRequest> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(onReady);
        }

        @Override
        public void onNext(ProduceResponse response) {
            onResponse(response);
        }

        @Override
        public void onError(Throwable error) {
            fail(requests, GrpcErrors.fromThrowable(error, "node " + node));
        }

        @Override
        public void onCompleted() {
            fail(requests, lost(node, "the broker ended the produce stream"));
        }
    }
}
