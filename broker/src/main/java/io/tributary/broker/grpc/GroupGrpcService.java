package io.tributary.broker.grpc;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.tributary.broker.group.CoordinatorResult;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.common.Time;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.DeleteGroupsRequest;
import io.tributary.proto.v1.DeleteGroupsResponse;
import io.tributary.proto.v1.DescribeGroupsRequest;
import io.tributary.proto.v1.DescribeGroupsResponse;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.FindCoordinatorResponse;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupListing;
import io.tributary.proto.v1.GroupResult;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.ListGroupsRequest;
import io.tributary.proto.v1.ListGroupsResponse;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetDeleteRequest;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OffsetFetchResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** gRPC adapter for consumer groups: routes each request to the coordinator shard of its group. */
public final class GroupGrpcService extends GroupServiceGrpc.GroupServiceImplBase {

    private static final Context.Key<String> CLIENT_HOST = Context.key("client-host");

    private final GroupCoordinator coordinator;
    private final GrpcCalls calls;
    private final Time time;

    public GroupGrpcService(GroupCoordinator coordinator, GrpcCalls calls, Time time) {
        this.coordinator = coordinator;
        this.calls = calls;
        this.time = time;
    }

    /** This service with the client's address made available to handlers (DescribeGroups shows it). */
    public BindableService withClientHost() {
        ServerServiceDefinition definition = ServerInterceptors.intercept(this, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                String host = remote instanceof InetSocketAddress address ? "/" + address.getHostString()
                        : String.valueOf(remote);
                return Contexts.interceptCall(Context.current().withValue(CLIENT_HOST, host), call, headers, next);
            }
        });
        return () -> definition;
    }

    @Override
    public void findCoordinator(FindCoordinatorRequest request, StreamObserver<FindCoordinatorResponse> observer) {
        calls.unary(observer, () -> {
            if (request.getGroupIdsCount() == 0) {
                throw new InvalidRequestException("group_ids is empty");
            }
            FindCoordinatorResponse.Builder response = FindCoordinatorResponse.newBuilder();
            request.getGroupIdsList().forEach(id -> response.addCoordinators(coordinator.findCoordinator(id)));
            return response.build();
        });
    }

    @Override
    public void consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest request,
                                       StreamObserver<ConsumerGroupHeartbeatResponse> observer) {
        String host = String.valueOf(CLIENT_HOST.get());
        calls.async(observer, () -> coordinator.submit(request.getGroupId(),
                shard -> shard.heartbeat(request, host, time.milliseconds(), coordinator.topics()),
                e -> ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(e.errorCode())
                        .setErrorMessage(e.getMessage()).setMemberId(request.getMemberId())
                        .setMemberEpoch(request.getMemberEpoch()).build()));
    }

    @Override
    public void offsetCommit(OffsetCommitRequest request, StreamObserver<OffsetCommitResponse> observer) {
        calls.async(observer, () -> coordinator.submit(request.getGroupId(),
                shard -> shard.commitOffsets(request, time.milliseconds(), coordinator.topics()),
                e -> OffsetCommitResponse.newBuilder().setErrorCode(e.errorCode()).setErrorMessage(e.getMessage())
                        .build()));
    }

    @Override
    public void offsetFetch(OffsetFetchRequest request, StreamObserver<OffsetFetchResponse> observer) {
        calls.async(observer, () -> coordinator.submit(request.getGroupId(),
                shard -> new CoordinatorResult<>(List.of(), shard.fetchOffsets(request)),
                e -> OffsetFetchResponse.newBuilder().setErrorCode(e.errorCode()).setErrorMessage(e.getMessage())
                        .build()));
    }

    @Override
    public void listGroups(ListGroupsRequest request, StreamObserver<ListGroupsResponse> observer) {
        Set<String> states = Set.copyOf(request.getStatesFilterList());
        calls.async(observer, () -> {
            List<CompletableFuture<List<GroupListing>>> perShard = coordinator.submitToAll(
                    shard -> new CoordinatorResult<>(List.of(), shard.listGroups(states, coordinator.nodeId())),
                    e -> List.of());
            return all(perShard).thenApply(lists -> ListGroupsResponse.newBuilder()
                    .addAllGroups(lists.stream().flatMap(List::stream).toList()).build());
        });
    }

    @Override
    public void describeGroups(DescribeGroupsRequest request, StreamObserver<DescribeGroupsResponse> observer) {
        calls.async(observer, () -> {
            List<CompletableFuture<GroupDescription>> perGroup = request.getGroupIdsList().stream()
                    .map(id -> coordinator.submit(id, shard -> new CoordinatorResult<>(List.of(),
                                    shard.describeGroup(id, coordinator.nodeId())),
                            e -> GroupDescription.newBuilder().setGroupId(id).setErrorCode(e.errorCode())
                                    .setErrorMessage(e.getMessage()).build()))
                    .toList();
            return all(perGroup).thenApply(groups -> DescribeGroupsResponse.newBuilder().addAllGroups(groups).build());
        });
    }

    @Override
    public void deleteGroups(DeleteGroupsRequest request, StreamObserver<DeleteGroupsResponse> observer) {
        calls.async(observer, () -> {
            List<CompletableFuture<GroupResult>> perGroup = request.getGroupIdsList().stream()
                    .map(id -> coordinator.submit(id, shard -> shard.deleteGroup(id),
                            e -> GroupResult.newBuilder().setGroupId(id).setErrorCode(e.errorCode())
                                    .setErrorMessage(e.getMessage()).build()))
                    .toList();
            return all(perGroup).thenApply(results -> DeleteGroupsResponse.newBuilder().addAllResults(results).build());
        });
    }

    @Override
    public void offsetDelete(OffsetDeleteRequest request, StreamObserver<OffsetDeleteResponse> observer) {
        calls.async(observer, () -> coordinator.submit(request.getGroupId(),
                shard -> shard.deleteOffsets(request, coordinator.topics()),
                e -> OffsetDeleteResponse.newBuilder().setErrorCode(e.errorCode()).setErrorMessage(e.getMessage())
                        .build()));
    }

    /** The answers of several shard operations, in order, once all are complete. */
    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
    }
}
