package io.tributary.client.admin.internal;

import io.grpc.Channel;
import io.tributary.client.Node;
import io.tributary.client.PartitionInfo;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A per-partition call that only each partition's leader answers (ListOffsets, DeleteRecords). Each
 * round takes leaders from the client metadata (refreshed on the metadata thread when stale or after
 * an error), sends one request per leader in parallel, and settles each partition: success, a fatal
 * error (that partition fails with the mapped exception), or a retriable one (NOT_LEADER_OR_FOLLOWER,
 * UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, an unreachable leader, no leader in the metadata,
 * ...). Retriable partitions go into the next round after a doubling backoff, with fresh metadata.
 * At the deadline each unsettled partition fails with a TimeoutException naming its last error.
 *
 * <p>Thread-safety: rounds run one at a time; partition futures and last errors are thread-safe
 * because a round's responses arrive on several gRPC threads.
 *
 * @param <V> a partition's successful answer
 */
public final class LeaderPartitionsCall<V> {

    /** One partition's answer from its leader: {@code value} when errorCode is NONE. */
    public record Answer<V>(TopicPartition partition, ErrorCode errorCode, String errorMessage, V value) {
    }

    /** Sends one request for {@code partitions} to a leader over {@code channel}; answers per partition. */
    @FunctionalInterface
    public interface Sender<V> {
        CompletableFuture<List<Answer<V>>> send(Channel channel, List<TopicPartition> partitions, long timeoutMs);
    }

    private final AdminRuntime runtime;
    private final String name;
    private final Deadline deadline;
    private final Sender<V> sender;
    private final Map<TopicPartition, CompletableFuture<V>> futures = new LinkedHashMap<>();
    private final Map<TopicPartition, Throwable> lastErrors = new ConcurrentHashMap<>();
    private volatile int rounds;

    private LeaderPartitionsCall(AdminRuntime runtime, String name, Collection<TopicPartition> partitions,
                                 Integer timeoutMs, Sender<V> sender) {
        this.runtime = runtime;
        this.name = name;
        this.deadline = runtime.deadline(timeoutMs);
        this.sender = sender;
        partitions.forEach(tp -> futures.put(tp, new CompletableFuture<>()));
    }

    /** Starts call {@code name} and returns one future per partition, in the order given. */
    public static <V> Map<TopicPartition, CompletableFuture<V>> start(AdminRuntime runtime, String name,
            Collection<TopicPartition> partitions, Integer timeoutMs, Sender<V> sender) {
        LeaderPartitionsCall<V> call = new LeaderPartitionsCall<>(runtime, name, partitions, timeoutMs, sender);
        if (!partitions.isEmpty() && runtime.begin(name, call.deadline, Futures.allOf(call.futures.values()),
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
        long timeoutMs = runtime.attemptTimeoutMs(deadline);
        CompletableFuture<List<Answer<V>>> sent;
        try {
            sent = sender.send(runtime.channel(leader), partitions, timeoutMs);
        } catch (IllegalStateException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((answers, error) -> {
            if (error != null) {
                onRpcFailure(leader, partitions, error);
            } else {
                onResponse(leader, partitions, answers);
            }
            return null;
        });
    }

    private void onRpcFailure(Node leader, List<TopicPartition> partitions, Throwable error) {
        TributaryException mapped = GrpcErrors.fromThrowable(error, leader.address());
        if (mapped instanceof RetriableException) {
            partitions.forEach(tp -> lastErrors.put(tp, mapped));
        } else {
            partitions.forEach(tp -> futures.get(tp).completeExceptionally(mapped));
        }
    }

    private void onResponse(Node leader, List<TopicPartition> partitions, List<Answer<V>> answers) {
        Set<TopicPartition> answered = new HashSet<>();
        for (Answer<V> answer : answers) {
            TopicPartition tp = answer.partition();
            CompletableFuture<V> future = tp == null ? null : futures.get(tp);
            if (future == null || !answered.add(tp)) {
                continue;
            }
            TributaryException error = GrpcErrors.fromCode(answer.errorCode(), answer.errorMessage());
            if (error == null) {
                future.complete(answer.value());
            } else if (error instanceof RetriableException) {
                lastErrors.put(tp, GrpcErrors.fromCode(answer.errorCode(), shortName(answer.errorCode()) + " from "
                        + leader.address() + ": " + answer.errorMessage()));
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
            futures.get(tp).completeExceptionally(deadline.timeout(name + " of " + tp, lastErrors.get(tp),
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
