package io.tributary.client.admin.internal;

import io.tributary.client.Node;
import io.tributary.client.PartitionInfo;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Offset lookups, which only a partition's leader answers. Each round takes leaders from the
 * client metadata (refreshed on the metadata thread when stale or after an error), sends one
 * ListOffsets request per leader in parallel, and settles each partition: success, a fatal error
 * (that partition fails with the mapped exception), or a retriable one (NOT_LEADER_OR_FOLLOWER,
 * UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, an unreachable leader, no leader in the metadata,
 * ...). Retriable partitions go into the next round after a doubling backoff, with fresh metadata.
 * At the deadline each unsettled partition fails with a TimeoutException naming its last error.
 *
 * <p>Thread-safety: rounds run one at a time; partition futures and last errors are thread-safe
 * because a round's responses arrive on several gRPC threads.
 */
public final class ListOffsetsCall {

    private static final String NAME = "listOffsets";

    private final AdminRuntime runtime;
    private final Deadline deadline;
    private final Map<TopicPartition, OffsetSpec> specs;
    private final Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> futures = new LinkedHashMap<>();
    private final Map<TopicPartition, Throwable> lastErrors = new ConcurrentHashMap<>();
    private volatile int rounds;

    private ListOffsetsCall(AdminRuntime runtime, Map<TopicPartition, OffsetSpec> specs, Integer timeoutMs) {
        this.runtime = runtime;
        this.deadline = runtime.deadline(timeoutMs);
        this.specs = Map.copyOf(specs);
        specs.keySet().forEach(tp -> futures.put(tp, new CompletableFuture<>()));
    }

    /** Starts the lookups and returns one future per partition, in the order given. */
    public static Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> start(
            AdminRuntime runtime, Map<TopicPartition, OffsetSpec> specs, Integer timeoutMs) {
        ListOffsetsCall call = new ListOffsetsCall(runtime, specs, timeoutMs);
        if (!specs.isEmpty() && runtime.begin(NAME, call.deadline, Futures.allOf(call.futures.values()),
                call::abort, call::expire)) {
            call.round();
        }
        return Collections.unmodifiableMap(call.futures);
    }

    private List<TopicPartition> pending() {
        List<TopicPartition> pending = new ArrayList<>();
        futures.forEach((tp, future) -> {
            if (!future.isDone()) {
                pending.add(tp);
            }
        });
        return pending;
    }

    private void round() {
        List<TopicPartition> pending = pending();
        if (pending.isEmpty()) {
            return;
        }
        if (deadline.remainingMs() <= 0) {
            expire();
            return;
        }
        Set<String> topics = pending.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        runtime.metadataFor(topics).whenComplete((view, error) -> {
            if (error != null) {
                TributaryException mapped = GrpcErrors.fromThrowable(error, "the metadata refresh");
                pending.forEach(tp -> lastErrors.put(tp, mapped));
                nextRound();
            } else {
                sendToLeaders(view, pending);
            }
        });
    }

    private void sendToLeaders(ClusterView view, List<TopicPartition> pending) {
        Map<Node, List<TopicPartition>> byLeader = new LinkedHashMap<>();
        for (TopicPartition tp : pending) {
            Node leader = view.leaderFor(tp);
            if (leader == null) {
                lastErrors.put(tp, whyNoLeader(view, tp));
            } else {
                byLeader.computeIfAbsent(leader, ignored -> new ArrayList<>()).add(tp);
            }
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        byLeader.forEach((leader, partitions) -> sent.add(sendTo(leader, partitions)));
        Futures.allOf(sent).whenComplete((ignored, error) -> nextRound());
    }

    private static TributaryException whyNoLeader(ClusterView view, TopicPartition tp) {
        ErrorCode topicError = view.topicErrors().get(tp.topic());
        if (topicError != null) {
            return GrpcErrors.fromCode(topicError, "the metadata reports " + shortName(topicError) + " for topic '"
                    + tp.topic() + "'");
        }
        List<PartitionInfo> partitions = view.partitionsFor(tp.topic());
        if (partitions == null) {
            return GrpcErrors.fromCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "the metadata does not "
                    + "describe topic '" + tp.topic() + "' yet");
        }
        if (tp.partition() >= partitions.size()) {
            return GrpcErrors.fromCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "topic '" + tp.topic()
                    + "' has " + partitions.size() + " partition(s); partition " + tp.partition() + " does not exist");
        }
        int leader = partitions.get(tp.partition()).leader();
        return GrpcErrors.fromCode(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE, leader < 0
                ? "partition " + tp + " has no leader"
                : "the leader of partition " + tp + ", node " + leader + ", is not a live broker");
    }

    private CompletableFuture<Void> sendTo(Node leader, List<TopicPartition> partitions) {
        ListOffsetsRequest.Builder request = ListOffsetsRequest.newBuilder();
        partitions.forEach(tp -> request.addPartitions(query(tp, specs.get(tp))));
        long timeoutMs = runtime.attemptTimeoutMs(deadline);
        CompletableFuture<ListOffsetsResponse> sent;
        try {
            var stub = FetchServiceGrpc.newStub(runtime.channel(leader)).withDeadlineAfter(timeoutMs,
                    TimeUnit.MILLISECONDS);
            sent = Rpc.unary(observer -> stub.listOffsets(request.build(), observer));
        } catch (IllegalStateException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((response, error) -> {
            if (error != null) {
                onRpcFailure(leader, partitions, error);
            } else {
                onResponse(leader, partitions, response);
            }
            return null;
        });
    }

    private static ListOffsetsPartition query(TopicPartition tp, OffsetSpec spec) {
        ListOffsetsPartition.Builder query = ListOffsetsPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition());
        switch (spec.kind()) {
            case EARLIEST -> query.setSpec(io.tributary.proto.v1.OffsetSpec.OFFSET_SPEC_EARLIEST);
            case LATEST -> query.setSpec(io.tributary.proto.v1.OffsetSpec.OFFSET_SPEC_LATEST);
            case MAX_TIMESTAMP -> query.setSpec(io.tributary.proto.v1.OffsetSpec.OFFSET_SPEC_MAX_TIMESTAMP);
            case TIMESTAMP -> query.setTimestampMs(spec.timestamp());
        }
        return query.build();
    }

    private void onRpcFailure(Node leader, List<TopicPartition> partitions, Throwable error) {
        TributaryException mapped = GrpcErrors.fromThrowable(error, leader.address());
        if (mapped instanceof RetriableException) {
            partitions.forEach(tp -> lastErrors.put(tp, mapped));
        } else {
            partitions.forEach(tp -> futures.get(tp).completeExceptionally(mapped));
        }
    }

    private void onResponse(Node leader, List<TopicPartition> partitions, ListOffsetsResponse response) {
        Set<TopicPartition> answered = new HashSet<>();
        for (ListOffsetsPartitionResponse p : response.getPartitionsList()) {
            TopicPartition tp = p.getPartition() < 0 ? null : new TopicPartition(p.getTopic(), p.getPartition());
            CompletableFuture<ListOffsetsResultInfo> future = tp == null ? null : futures.get(tp);
            if (future == null || !answered.add(tp)) {
                continue;
            }
            TributaryException error = GrpcErrors.fromCode(p.getErrorCode(), p.getErrorMessage());
            if (error == null) {
                future.complete(new ListOffsetsResultInfo(p.getOffset(), p.getTimestampMs(),
                        p.getLeaderEpoch() < 0 ? Optional.empty() : Optional.of(p.getLeaderEpoch())));
            } else if (error instanceof RetriableException) {
                lastErrors.put(tp, GrpcErrors.fromCode(p.getErrorCode(), shortName(p.getErrorCode()) + " from "
                        + leader.address() + ": " + p.getErrorMessage()));
            } else {
                future.completeExceptionally(error);
            }
        }
        for (TopicPartition tp : partitions) {
            if (!answered.contains(tp)) {
                lastErrors.put(tp, GrpcErrors.fromCode(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, "the leader "
                        + leader.address() + " sent no result for partition " + tp));
            }
        }
    }

    private void nextRound() {
        if (pending().isEmpty()) {
            return;
        }
        runtime.requestMetadataUpdate();
        long delayMs = Math.min(runtime.backoffMs(rounds), deadline.remainingMs());
        rounds++;
        runtime.retryLater(this::round, delayMs);
    }

    private void expire() {
        for (TopicPartition tp : pending()) {
            futures.get(tp).completeExceptionally(deadline.timeout(NAME + " of " + tp, lastErrors.get(tp),
                    "no answer yet from its leader"));
        }
    }

    private void abort(Throwable error) {
        pending().forEach(tp -> futures.get(tp).completeExceptionally(error));
    }

    private static String shortName(ErrorCode code) {
        return code.name().startsWith("ERROR_CODE_") ? code.name().substring("ERROR_CODE_".length()) : code.name();
    }
}
