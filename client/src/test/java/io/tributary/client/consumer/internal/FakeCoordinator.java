package io.tributary.client.consumer.internal;

import io.grpc.Server;
import io.grpc.Status;
import io.tributary.client.ScriptedAnswers;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.tributary.proto.v1.BrokerEndpoint;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.Coordinator;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.FindCoordinatorResponse;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OffsetFetchResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted group coordinator on a loopback port, for faults a real node does not produce on demand:
 * each RPC records its request and answers with what the test's function returns (a response, or a
 * {@link Status} to fail the call with). It is its own (only) broker and always the coordinator.
 */
final class FakeCoordinator implements AutoCloseable {

    final List<FindCoordinatorRequest> findRequests = new CopyOnWriteArrayList<>();
    final List<ConsumerGroupHeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
    final List<OffsetCommitRequest> commits = new CopyOnWriteArrayList<>();
    final List<OffsetFetchRequest> fetches = new CopyOnWriteArrayList<>();
    volatile Function<ConsumerGroupHeartbeatRequest, Object> heartbeat = request -> Status.UNIMPLEMENTED;
    volatile Function<OffsetCommitRequest, Object> commit = request -> Status.UNIMPLEMENTED;
    volatile Function<OffsetFetchRequest, Object> fetch = request -> Status.UNIMPLEMENTED;
    private final Server server;

    FakeCoordinator() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new Groups())
                    .addService(new Cluster()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    private BrokerEndpoint endpoint() {
        return BrokerEndpoint.newBuilder().setNodeId(1).setHost("127.0.0.1").setPort(server.getPort()).build();
    }

    static ConsumerGroupHeartbeatResponse heartbeatError(ErrorCode code) {
        return ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(code).setErrorMessage("scripted " + code).build();
    }

    private final class Groups extends GroupServiceGrpc.GroupServiceImplBase {
        @Override
        public void findCoordinator(FindCoordinatorRequest request, StreamObserver<FindCoordinatorResponse> observer) {
            ScriptedAnswers.answer(request, findRequests, r -> FindCoordinatorResponse.newBuilder()
                    .addCoordinators(Coordinator.newBuilder().setGroupId(r.getGroupIds(0))
                            .setErrorCode(ErrorCode.ERROR_CODE_NONE).setNode(endpoint())).build(), observer);
        }

        @Override
        public void consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest request,
                                           StreamObserver<ConsumerGroupHeartbeatResponse> observer) {
            ScriptedAnswers.answer(request, heartbeats, heartbeat, observer);
        }

        @Override
        public void offsetCommit(OffsetCommitRequest request, StreamObserver<OffsetCommitResponse> observer) {
            ScriptedAnswers.answer(request, commits, commit, observer);
        }

        @Override
        public void offsetFetch(OffsetFetchRequest request, StreamObserver<OffsetFetchResponse> observer) {
            ScriptedAnswers.answer(request, fetches, fetch, observer);
        }
    }

    private final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
        @Override
        public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> observer) {
            observer.onNext(MetadataResponse.newBuilder().setClusterId("fake").setControllerId(1)
                    .addBrokers(endpoint()).build());
            observer.onCompleted();
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
