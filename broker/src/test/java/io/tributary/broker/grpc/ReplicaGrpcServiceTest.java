package io.tributary.broker.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.replica.IsrChangeSender;
import io.tributary.broker.replica.LeaderSession;
import io.tributary.common.Time;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.transport.ControllerGrpcService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A Replicate stream ends exactly once, however its ends race, and shutdown never throws. */
@Tag("unit")
class ReplicaGrpcServiceTest {

    private final DelayedOperationPurgatory purgatory = new DelayedOperationPurgatory("test");
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile boolean serving = true;
    private final ReplicaGrpcService service = new ReplicaGrpcService(sink -> new LeaderSession(tp -> null,
            () -> MetadataImage.EMPTY, purgatory, new IsrChangeSender(1, () -> 1,
                    r -> CompletableFuture.failedFuture(new IllegalStateException("none")), 100, Time.SYSTEM),
            Time.SYSTEM, 1 << 20, sink), new GrpcCalls(() -> serving));

    @AfterEach
    void tearDown() {
        purgatory.close();
    }

    /** A response observer that, like gRPC's, refuses a second terminal call. */
    private final class Responses implements StreamObserver<ReplicaFetchResponse> {
        private boolean closed;

        @Override
        public void onNext(ReplicaFetchResponse value) {
        }

        @Override
        public synchronized void onError(Throwable t) {
            if (closed) {
                throw new IllegalStateException("call already closed");
            }
            closed = true;
            errors.add(t);
        }

        @Override
        public synchronized void onCompleted() {
            if (closed) {
                throw new IllegalStateException("call already closed");
            }
            closed = true;
        }
    }

    @Test
    void aMalformedRequestEndsTheStreamOnceWithItsCode() {
        StreamObserver<ReplicaFetchRequest> stream = service.replicate(new Responses());
        stream.onNext(ReplicaFetchRequest.newBuilder().setReplicaId(-1).build());
        service.closeStreams();
        stream.onCompleted();

        assertEquals(1, errors.size());
        Status status = ((StatusRuntimeException) errors.get(0)).getStatus();
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertTrue(status.getDescription().contains("replica_id -1 is invalid"), status.getDescription());
        assertEquals("ERROR_CODE_INVALID_REQUEST",
                ((StatusRuntimeException) errors.get(0)).getTrailers().get(ControllerGrpcService.ERROR_CODE));
    }

    @Test
    void shutdownEndsOpenStreamsWithUnavailableAndARequestAfterItIsRefused() {
        StreamObserver<ReplicaFetchRequest> stream = service.replicate(new Responses());
        service.closeStreams();
        serving = false;
        stream.onNext(ReplicaFetchRequest.newBuilder().setReplicaId(2).build());

        assertEquals(1, errors.size(), "one terminal call only");
        assertEquals(Status.Code.UNAVAILABLE, ((StatusRuntimeException) errors.get(0)).getStatus().getCode());
    }
}
