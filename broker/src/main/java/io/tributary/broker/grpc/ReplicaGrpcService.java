package io.tributary.broker.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.tributary.broker.replica.LeaderSession;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.RetriableException;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.proto.replica.v1.ReplicaServiceGrpc;
import io.tributary.quorum.transport.ControllerGrpcService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * gRPC adapter for the leader's side of replication: each Replicate stream is one
 * {@link LeaderSession}. Stream-level errors carry the error code in the "tributary-error-code"
 * trailer: INVALID_ARGUMENT for malformed requests, UNAVAILABLE for retriable ones (the node is
 * not serving), FAILED_PRECONDITION otherwise (STALE_BROKER_EPOCH).
 */
public final class ReplicaGrpcService extends ReplicaServiceGrpc.ReplicaServiceImplBase {

    private final Function<LeaderSession.Sink, LeaderSession> sessions;
    private final GrpcCalls calls;
    private final Set<Stream> openStreams = ConcurrentHashMap.newKeySet();

    /** @param sessions creates the session for a new stream, answering through the given sink */
    public ReplicaGrpcService(Function<LeaderSession.Sink, LeaderSession> sessions, GrpcCalls calls) {
        this.sessions = sessions;
        this.calls = calls;
    }

    @Override
    public StreamObserver<ReplicaFetchRequest> replicate(StreamObserver<ReplicaFetchResponse> responses) {
        Stream stream = new Stream(responses);
        stream.session = sessions.apply(stream);
        openStreams.add(stream);
        return stream;
    }

    /** Ends every open stream with UNAVAILABLE, so shutdown does not wait for followers. */
    public void closeStreams() {
        for (Stream stream : List.copyOf(openStreams)) {
            stream.fail(new BrokerNotAvailableException("the node is shutting down"));
        }
    }

    private static io.grpc.StatusRuntimeException toStatus(ApiException error) {
        Status status = error instanceof InvalidRequestException ? Status.INVALID_ARGUMENT
                : error instanceof RetriableException ? Status.UNAVAILABLE : Status.FAILED_PRECONDITION;
        Metadata trailers = new Metadata();
        trailers.put(ControllerGrpcService.ERROR_CODE, error.errorCode().name());
        return status.withDescription(error.getMessage()).asRuntimeException(trailers);
    }

    /**
     * One Replicate call; writes to the response observer are serialised on this object, and the
     * terminal one is made once: a shutdown, a failed request and the follower's own end may race.
     */
    private final class Stream implements StreamObserver<ReplicaFetchRequest>, LeaderSession.Sink {

        private final StreamObserver<ReplicaFetchResponse> responses;
        private LeaderSession session;
        private boolean finished;

        Stream(StreamObserver<ReplicaFetchResponse> responses) {
            this.responses = responses;
        }

        @Override
        public void onNext(ReplicaFetchRequest request) {
            try {
                calls.ensureServing();
            } catch (ApiException e) {
                fail(e);
                return;
            }
            session.onRequest(request);
        }

        @Override
        public void onError(Throwable t) {
            end(null);
        }

        @Override
        public void onCompleted() {
            end(null);
        }

        @Override
        public synchronized void send(ReplicaFetchResponse response) {
            if (finished) {
                return;
            }
            try {
                responses.onNext(response);
            } catch (RuntimeException e) {
                // The follower cancelled the call: nothing more can reach it.
                finished = true;
            }
        }

        @Override
        public void fail(ApiException error) {
            end(error);
        }

        /** Ends the call (with {@code error}, or completed when null) unless it already ended. */
        private void end(ApiException error) {
            boolean ending;
            synchronized (this) {
                ending = !finished;
                finished = true;
                if (ending) {
                    try {
                        if (error == null) {
                            responses.onCompleted();
                        } else {
                            responses.onError(toStatus(error));
                        }
                    } catch (RuntimeException e) {
                        // Already closed by the transport (the follower went away): nothing to tell.
                    }
                }
            }
            session.close();
            openStreams.remove(this);
        }
    }
}
