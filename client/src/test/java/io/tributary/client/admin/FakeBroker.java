package io.tributary.client.admin;

import io.grpc.Server;
import io.grpc.Status;
import io.tributary.client.ScriptedAnswers;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.BrokerEndpoint;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteRecordsRequest;
import io.tributary.proto.v1.DeleteRecordsResponse;
import io.tributary.proto.v1.DescribeGroupsRequest;
import io.tributary.proto.v1.DescribeGroupsResponse;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.FindCoordinatorResponse;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.ListGroupsRequest;
import io.tributary.proto.v1.ListGroupsResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;
import io.tributary.proto.v1.ListTopicsRequest;
import io.tributary.proto.v1.ListTopicsResponse;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted broker on a loopback port: each RPC records its request and answers with what the
 * test's function returns, a response message or a {@link Status} to fail the call with. RPCs
 * without a script fail with UNIMPLEMENTED.
 */
final class FakeBroker implements AutoCloseable {

    final int nodeId;
    final Server server;
    final List<CreateTopicsRequest> createTopicsRequests = new CopyOnWriteArrayList<>();
    final List<ListTopicsRequest> listTopicsRequests = new CopyOnWriteArrayList<>();
    final List<MetadataRequest> metadataRequests = new CopyOnWriteArrayList<>();
    final List<ListOffsetsRequest> listOffsetsRequests = new CopyOnWriteArrayList<>();
    volatile Function<CreateTopicsRequest, Object> createTopics = request -> Status.UNIMPLEMENTED;
    volatile Function<ListTopicsRequest, Object> listTopics = request -> Status.UNIMPLEMENTED;
    volatile Function<MetadataRequest, Object> metadata = request -> Status.UNIMPLEMENTED;
    volatile Function<ListOffsetsRequest, Object> listOffsets = request -> Status.UNIMPLEMENTED;
    final List<DeleteRecordsRequest> deleteRecordsRequests = new CopyOnWriteArrayList<>();
    volatile Function<DeleteRecordsRequest, Object> deleteRecords = request -> Status.UNIMPLEMENTED;
    final List<FindCoordinatorRequest> findCoordinatorRequests = new CopyOnWriteArrayList<>();
    final List<ListGroupsRequest> listGroupsRequests = new CopyOnWriteArrayList<>();
    final List<DescribeGroupsRequest> describeGroupsRequests = new CopyOnWriteArrayList<>();
    final List<OffsetCommitRequest> offsetCommitRequests = new CopyOnWriteArrayList<>();
    volatile Function<FindCoordinatorRequest, Object> findCoordinator = request -> Status.UNIMPLEMENTED;
    volatile Function<ListGroupsRequest, Object> listGroups = request -> Status.UNIMPLEMENTED;
    volatile Function<DescribeGroupsRequest, Object> describeGroups = request -> Status.UNIMPLEMENTED;
    volatile Function<OffsetCommitRequest, Object> offsetCommit = request -> Status.UNIMPLEMENTED;

    FakeBroker(int nodeId) {
        this.nodeId = nodeId;
        try {
            this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new Admin()).addService(new Cluster()).addService(new Fetch())
                    .addService(new Groups()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    BrokerEndpoint endpoint() {
        return BrokerEndpoint.newBuilder().setNodeId(nodeId).setHost("127.0.0.1").setPort(port()).build();
    }

    private final class Admin extends AdminServiceGrpc.AdminServiceImplBase {
        @Override
        public void createTopics(CreateTopicsRequest request, StreamObserver<CreateTopicsResponse> observer) {
            ScriptedAnswers.answer(request, createTopicsRequests, createTopics, observer);
        }

        @Override
        public void listTopics(ListTopicsRequest request, StreamObserver<ListTopicsResponse> observer) {
            ScriptedAnswers.answer(request, listTopicsRequests, listTopics, observer);
        }

        @Override
        public void deleteRecords(DeleteRecordsRequest request, StreamObserver<DeleteRecordsResponse> observer) {
            ScriptedAnswers.answer(request, deleteRecordsRequests, deleteRecords, observer);
        }
    }

    private final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
        @Override
        public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> observer) {
            ScriptedAnswers.answer(request, metadataRequests, metadata, observer);
        }
    }

    private final class Fetch extends FetchServiceGrpc.FetchServiceImplBase {
        @Override
        public void listOffsets(ListOffsetsRequest request, StreamObserver<ListOffsetsResponse> observer) {
            ScriptedAnswers.answer(request, listOffsetsRequests, listOffsets, observer);
        }
    }

    private final class Groups extends GroupServiceGrpc.GroupServiceImplBase {
        @Override
        public void findCoordinator(FindCoordinatorRequest request, StreamObserver<FindCoordinatorResponse> observer) {
            ScriptedAnswers.answer(request, findCoordinatorRequests, findCoordinator, observer);
        }

        @Override
        public void listGroups(ListGroupsRequest request, StreamObserver<ListGroupsResponse> observer) {
            ScriptedAnswers.answer(request, listGroupsRequests, listGroups, observer);
        }

        @Override
        public void describeGroups(DescribeGroupsRequest request, StreamObserver<DescribeGroupsResponse> observer) {
            ScriptedAnswers.answer(request, describeGroupsRequests, describeGroups, observer);
        }

        @Override
        public void offsetCommit(OffsetCommitRequest request, StreamObserver<OffsetCommitResponse> observer) {
            ScriptedAnswers.answer(request, offsetCommitRequests, offsetCommit, observer);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
