package io.tributary.client.admin.internal;

import io.grpc.Channel;
import io.tributary.client.Node;
import io.tributary.client.admin.ConsumerGroupDescription;
import io.tributary.client.admin.ConsumerGroupListing;
import io.tributary.client.admin.ConsumerGroupState;
import io.tributary.client.admin.internal.TargetedCall.Outcome;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.DeleteGroupsRequest;
import io.tributary.proto.v1.DeleteGroupsResponse;
import io.tributary.proto.v1.DescribeGroupsRequest;
import io.tributary.proto.v1.DescribeGroupsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupResult;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.ListGroupsRequest;
import io.tributary.proto.v1.ListGroupsResponse;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.OffsetCommitPartitionResult;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetDeleteRequest;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OffsetFetchResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The consumer-group calls of the admin client. Each group's requests go to its coordinator
 * ({@link AdminRuntime#coordinatorOf}), one request per group, retried through
 * {@link TargetedCall}; listing asks every live broker (from a fresh Metadata answer) for the groups
 * it coordinates. Stateless apart from the runtime; thread-safe.
 */
public final class GroupCalls {

    /**
     * What listing found.
     *
     * @param listings the groups of the brokers that answered, by group id
     * @param errors   one failure per broker that could not answer
     */
    public record Listed(List<ConsumerGroupListing> listings, List<Throwable> errors) {
        public Listed {
            listings = List.copyOf(listings);
            errors = List.copyOf(errors);
        }
    }

    /** A DescribeGroups answer for one group, with the node that gave it. */
    private record Described(Node node, GroupDescription group) {
    }

    private final AdminRuntime runtime;

    public GroupCalls(AdminRuntime runtime) {
        this.runtime = runtime;
    }

    private static GroupServiceGrpc.GroupServiceStub stub(Channel channel, long timeoutMs) {
        return GroupServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Lists the groups of every broker, only those in {@code states} unless it is empty. */
    public CompletableFuture<Listed> list(Set<ConsumerGroupState> states, Integer timeoutMs) {
        Deadline deadline = runtime.deadline(timeoutMs);
        ListGroupsRequest request = ListGroupsRequest.newBuilder()
                .addAllStatesFilter(states.stream().map(ConsumerGroupState::toString).toList()).build();
        MetadataRequest metadata = MetadataRequest.getDefaultInstance();
        return RetryingCall.start(runtime, "listConsumerGroups", timeoutMs, (channel, ms) ->
                        Rpc.<MetadataResponse>unary(o -> ClusterServiceGrpc.newStub(channel)
                                .withDeadlineAfter(ms, TimeUnit.MILLISECONDS).metadata(metadata, o)))
                .thenCompose(response -> {
                    List<Node> brokers = new ArrayList<>(ClusterView.from(response, 0).brokers().values());
                    brokers.sort(Comparator.comparingInt(Node::id));
                    List<CompletableFuture<ListGroupsResponse>> answers = new ArrayList<>();
                    for (Node broker : brokers) {
                        answers.add(TargetedCall.start(runtime, "listConsumerGroups on broker " + broker.id(), deadline,
                                TargetedCall.to(broker), (node, channel, ms) -> Rpc.<ListGroupsResponse>unary(
                                        o -> stub(channel, ms).listGroups(request, o)), r -> Outcome.NONE));
                    }
                    return Futures.allOf(answers).handle((ignored, error) -> listed(answers));
                });
    }

    /** Every group once (a group whose coordinator moved while listing may be listed twice), by id. */
    private static Listed listed(List<CompletableFuture<ListGroupsResponse>> answers) {
        Map<String, ConsumerGroupListing> byId = new TreeMap<>();
        List<Throwable> errors = new ArrayList<>();
        for (CompletableFuture<ListGroupsResponse> answer : answers) {
            try {
                answer.join().getGroupsList().forEach(g -> byId.putIfAbsent(g.getGroupId(), GroupConversions.listing(g)));
            } catch (CompletionException e) {
                errors.add(Errors.unwrap(e));
            }
        }
        return new Listed(new ArrayList<>(byId.values()), errors);
    }

    /** Describes each group (each id once). */
    public Map<String, CompletableFuture<ConsumerGroupDescription>> describe(Collection<String> groupIds,
                                                                            Integer timeoutMs) {
        Map<String, CompletableFuture<ConsumerGroupDescription>> futures = new LinkedHashMap<>();
        for (String groupId : new LinkedHashSet<>(groupIds)) {
            DescribeGroupsRequest request = DescribeGroupsRequest.newBuilder().addGroupIds(groupId).build();
            futures.put(groupId, toCoordinator("describeConsumerGroups", groupId, timeoutMs, (node, channel, ms) ->
                                    Rpc.<DescribeGroupsResponse>unary(o -> stub(channel, ms).describeGroups(request, o))
                                            .thenApply(r -> new Described(node, only(r, groupId))),
                            d -> new Outcome(d.group().getErrorCode(), d.group().getErrorMessage()))
                    .thenCompose(d -> settled(d.group().getErrorCode(), d.group().getErrorMessage(),
                            () -> GroupConversions.description(d.group(), d.node()))));
        }
        return futures;
    }

    /** The answer's description of {@code groupId}; an UNKNOWN_SERVER_ERROR one when it has none. */
    private static GroupDescription only(DescribeGroupsResponse response, String groupId) {
        return response.getGroupsList().stream().filter(g -> g.getGroupId().equals(groupId)).findFirst()
                .orElse(GroupDescription.newBuilder().setGroupId(groupId)
                        .setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR)
                        .setErrorMessage("the coordinator sent no description of group '" + groupId + "'").build());
    }

    /** The group's committed offsets. */
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> offsets(String groupId, Integer timeoutMs) {
        OffsetFetchRequest request = OffsetFetchRequest.newBuilder().setGroupId(groupId).build();
        return toCoordinator("listConsumerGroupOffsets", groupId, timeoutMs, (node, channel, ms) ->
                                Rpc.<OffsetFetchResponse>unary(o -> stub(channel, ms).offsetFetch(request, o)),
                        r -> new Outcome(r.getErrorCode(), r.getErrorMessage()))
                .thenCompose(r -> settled(r.getErrorCode(), r.getErrorMessage(), () -> GroupConversions.committed(r)));
    }

    /** Commits offsets for the group as a non-member (member id "", epoch -1). */
    public Map<TopicPartition, CompletableFuture<Void>> alterOffsets(String groupId,
                                                                    Map<TopicPartition, OffsetAndMetadata> offsets,
                                                                    Integer timeoutMs) {
        Map<TopicPartition, CompletableFuture<Void>> futures = futuresFor(offsets.keySet());
        if (!futures.isEmpty()) {
            offsets.forEach((tp, offset) -> Objects.requireNonNull(offset, "the offset of " + tp));
            OffsetCommitRequest request = OffsetCommitRequest.newBuilder().setGroupId(groupId).setMemberId("")
                    .setMemberEpoch(-1).addAllTopics(GroupConversions.commitTopics(offsets)).build();
            partitionCall("alterConsumerGroupOffsets", groupId, timeoutMs, futures, (channel, ms) ->
                            Rpc.<OffsetCommitResponse>unary(o -> stub(channel, ms).offsetCommit(request, o)),
                    r -> new Outcome(r.getErrorCode(), r.getErrorMessage()), OffsetCommitResponse::getPartitionsList);
        }
        return futures;
    }

    /** Deletes each group (each id once). */
    public Map<String, CompletableFuture<Void>> delete(Collection<String> groupIds, Integer timeoutMs) {
        Map<String, CompletableFuture<Void>> futures = new LinkedHashMap<>();
        for (String groupId : new LinkedHashSet<>(groupIds)) {
            DeleteGroupsRequest request = DeleteGroupsRequest.newBuilder().addGroupIds(groupId).build();
            futures.put(groupId, toCoordinator("deleteConsumerGroups", groupId, timeoutMs, (node, channel, ms) ->
                                    Rpc.<DeleteGroupsResponse>unary(o -> stub(channel, ms).deleteGroups(request, o))
                                            .thenApply(r -> resultOf(r, groupId)),
                            g -> new Outcome(g.getErrorCode(), g.getErrorMessage()))
                    .thenCompose(g -> settled(g.getErrorCode(), g.getErrorMessage(), () -> null)));
        }
        return futures;
    }

    private static GroupResult resultOf(DeleteGroupsResponse response, String groupId) {
        return response.getResultsList().stream().filter(g -> g.getGroupId().equals(groupId)).findFirst()
                .orElse(GroupResult.newBuilder().setGroupId(groupId).setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR)
                        .setErrorMessage("the coordinator sent no result for group '" + groupId + "'").build());
    }

    /** Deletes the group's committed offsets of {@code partitions}. */
    public Map<TopicPartition, CompletableFuture<Void>> deleteOffsets(String groupId, Set<TopicPartition> partitions,
                                                                     Integer timeoutMs) {
        Map<TopicPartition, CompletableFuture<Void>> futures = futuresFor(partitions);
        if (!futures.isEmpty()) {
            OffsetDeleteRequest request = OffsetDeleteRequest.newBuilder().setGroupId(groupId)
                    .addAllTopics(GroupConversions.byTopic(partitions)).build();
            partitionCall("deleteConsumerGroupOffsets", groupId, timeoutMs, futures, (channel, ms) ->
                            Rpc.<OffsetDeleteResponse>unary(o -> stub(channel, ms).offsetDelete(request, o)),
                    r -> new Outcome(r.getErrorCode(), r.getErrorMessage()), OffsetDeleteResponse::getPartitionsList);
        }
        return futures;
    }

    /** A call to the coordinator of {@code groupId}, named for timeouts as "{@code name} of group 'g'". */
    private <R> CompletableFuture<R> toCoordinator(String name, String groupId, Integer timeoutMs,
                                                   TargetedCall.NodeRpc<R> rpc, Function<R, Outcome> outcome) {
        return TargetedCall.start(runtime, name + " of group '" + groupId + "'", runtime.deadline(timeoutMs),
                runtime.coordinatorOf(groupId), rpc, outcome);
    }

    /** A coordinator call whose answer has a group-level error and per-partition results. */
    private <R> void partitionCall(String name, String groupId, Integer timeoutMs,
                                   Map<TopicPartition, CompletableFuture<Void>> futures,
                                   BiFunction<Channel, Long, CompletableFuture<R>> send, Function<R, Outcome> outcome,
                                   Function<R, List<OffsetCommitPartitionResult>> results) {
        toCoordinator(name, groupId, timeoutMs, (node, channel, ms) -> send.apply(channel, ms), outcome)
                .whenComplete((r, error) -> settlePartitions(futures, error, r == null ? null : outcome.apply(r),
                        r == null ? null : results.apply(r)));
    }

    private static Map<TopicPartition, CompletableFuture<Void>> futuresFor(Collection<TopicPartition> partitions) {
        Map<TopicPartition, CompletableFuture<Void>> futures = new LinkedHashMap<>();
        partitions.forEach(tp -> futures.put(Objects.requireNonNull(tp, "partition"), new CompletableFuture<>()));
        return futures;
    }

    /** The value, or the exception for a group-level error code. */
    private static <V> CompletableFuture<V> settled(ErrorCode code, String message, Supplier<V> value) {
        TributaryException error = GrpcErrors.fromCode(code, message);
        return error != null ? CompletableFuture.failedFuture(error) : CompletableFuture.completedFuture(value.get());
    }

    /**
     * Settles per-partition futures: every one fails with the call's failure or the group-level
     * error; otherwise each with its partition's outcome, and a partition the answer leaves out with
     * UnknownServerException.
     */
    private static void settlePartitions(Map<TopicPartition, CompletableFuture<Void>> futures, Throwable callError,
                                         Outcome group, List<OffsetCommitPartitionResult> results) {
        TributaryException groupError = callError != null ? null : GrpcErrors.fromCode(group.code(), group.message());
        if (callError != null || groupError != null) {
            Throwable cause = callError != null ? Errors.unwrap(callError) : groupError;
            futures.values().forEach(future -> future.completeExceptionally(cause));
            return;
        }
        for (OffsetCommitPartitionResult result : results) {
            CompletableFuture<Void> future = result.getPartition() < 0 ? null
                    : futures.get(new TopicPartition(result.getTopic(), result.getPartition()));
            if (future == null) {
                continue;
            }
            TributaryException error = GrpcErrors.fromCode(result.getErrorCode(), result.getErrorMessage());
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(null);
            }
        }
        futures.forEach((tp, future) -> future.completeExceptionally(GrpcErrors.fromCode(
                ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, "the coordinator sent no result for partition " + tp)));
    }
}
