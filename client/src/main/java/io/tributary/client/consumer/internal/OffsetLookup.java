package io.tributary.client.consumer.internal;

import io.tributary.client.Node;
import io.tributary.client.PartitionInfo;
import io.tributary.client.consumer.OffsetAndTimestamp;
import io.tributary.client.internal.Channels;
import io.tributary.client.internal.ClientMetadata;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.InterruptException;
import io.tributary.common.errors.LeaderNotAvailableException;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.IsolationLevel;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;
import io.tributary.proto.v1.OffsetSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Looks offsets up with ListOffsets, sending each partition's query to its leader and retrying
 * retriable failures (refreshing metadata) until a deadline. Used by the consumer's application
 * thread for resets, {@code beginningOffsets/endOffsets} and {@code offsetsForTimes}.
 */
public final class OffsetLookup {

    private final ClientMetadata metadata;
    private final Channels channels;
    private final Time time;
    private final long requestTimeoutMs;
    private final long retryBackoffMs;
    private final IsolationLevel isolationLevel;
    private final Runnable checkWakeup;

    /**
     * @param checkWakeup run between attempts; it throws {@code WakeupException} when the consumer
     *                    was woken up
     */
    public OffsetLookup(ClientMetadata metadata, Channels channels, Time time, long requestTimeoutMs,
                        long retryBackoffMs, IsolationLevel isolationLevel, Runnable checkWakeup) {
        this.metadata = metadata;
        this.channels = channels;
        this.time = time;
        this.requestTimeoutMs = requestTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.isolationLevel = isolationLevel;
        this.checkWakeup = checkWakeup;
    }

    /**
     * The partitions of {@code topic} (empty when it does not exist), refreshing metadata and retrying
     * retriable failures until {@code deadlineMs} ({@code timeoutMs} after the call began).
     *
     * @throws TimeoutException naming the last error when no broker answered in time
     */
    public List<PartitionInfo> partitionsFor(String topic, long deadlineMs, long timeoutMs) {
        metadata.addTopics(List.of(topic));
        TributaryException last = null;
        for (int attempt = 0; time.milliseconds() < deadlineMs; attempt++) {
            checkWakeup.run();
            if (attempt > 0) {
                pause(Math.min(retryBackoffMs, Math.max(0, deadlineMs - time.milliseconds())));
            }
            try {
                List<PartitionInfo> partitions = metadata.refresh().partitionsFor(topic);
                return partitions == null ? List.of() : partitions;
            } catch (TributaryException e) {
                if (!(e instanceof RetriableException)) {
                    throw e;
                }
                last = e;
            }
        }
        throw new TimeoutException("partitionsFor(" + topic + ") timed out after " + timeoutMs + " ms"
                + (last == null ? "" : "; last error: " + last.getMessage()));
    }

    /** The offset {@code spec} names in each partition (beginningOffsets, endOffsets); see {@link #lookup}. */
    public Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec, long deadlineMs,
                                             String purpose) {
        Map<TopicPartition, ListOffsetsPartition> queries = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            queries.put(tp, ListOffsetsPartition.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
                    .setSpec(spec).build());
        }
        Map<TopicPartition, Long> result = new LinkedHashMap<>();
        lookup(queries, deadlineMs, purpose).forEach((tp, answer) -> result.put(tp, answer.getOffset()));
        return result;
    }

    /**
     * For each partition, the earliest offset with a timestamp at or after the given one (null when
     * none); see {@link #lookup}.
     *
     * @throws IllegalArgumentException for a negative timestamp
     */
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps,
                                                                   long deadlineMs) {
        Map<TopicPartition, ListOffsetsPartition> queries = new LinkedHashMap<>();
        timestamps.forEach((tp, timestamp) -> {
            if (timestamp < 0) {
                throw new IllegalArgumentException("the timestamp to search for " + tp
                        + " must not be negative: " + timestamp);
            }
            queries.put(tp, ListOffsetsPartition.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
                    .setTimestampMs(timestamp).build());
        });
        Map<TopicPartition, OffsetAndTimestamp> result = new LinkedHashMap<>();
        lookup(queries, deadlineMs, "offsetsForTimes").forEach((tp, answer) -> result.put(tp, answer.getOffset() < 0
                ? null : new OffsetAndTimestamp(answer.getOffset(), answer.getTimestampMs(),
                answer.getLeaderEpoch() < 0 ? Optional.empty() : Optional.of(answer.getLeaderEpoch()))));
        return result;
    }

    /**
     * Answers every query, or throws.
     *
     * @param queries    per partition: the spec or timestamp to look up
     * @param deadlineMs when to give up
     * @param purpose    what the lookup is for, named in the timeout message
     * @throws TimeoutException when some partition has no answer by the deadline (naming the last error)
     * @throws TributaryException for a fatal per-partition error
     */
    public Map<TopicPartition, ListOffsetsPartitionResponse> lookup(Map<TopicPartition, ListOffsetsPartition> queries,
                                                                    long deadlineMs, String purpose) {
        metadata.addTopics(queries.keySet().stream().map(TopicPartition::topic).distinct().toList());
        Map<TopicPartition, ListOffsetsPartitionResponse> answers = new LinkedHashMap<>();
        Map<TopicPartition, ListOffsetsPartition> remaining = new LinkedHashMap<>(queries);
        TributaryException lastError = null;
        for (int attempt = 0; !remaining.isEmpty(); attempt++) {
            checkWakeup.run();
            long leftMs = deadlineMs - time.milliseconds();
            // The first attempt always goes out, with a full request timeout if the caller's is shorter:
            // poll(Duration.ZERO) must still be able to give a new partition its position.
            if (attempt == 0 && leftMs < requestTimeoutMs) {
                leftMs = requestTimeoutMs;
            } else if (leftMs <= 0) {
                throw new TimeoutException(purpose + " timed out for " + remaining.keySet()
                        + (lastError == null ? "" : "; last error: " + lastError.getMessage()));
            }
            if (attempt > 0) {
                pause(Math.min(leftMs, retryBackoffMs));
            }
            ClusterView view = metadata.maybeRefresh();
            for (Map.Entry<Node, List<TopicPartition>> entry : byLeader(view, remaining.keySet()).entrySet()) {
                TributaryException error = query(entry.getKey(), entry.getValue(), remaining, answers,
                        Math.min(leftMs, requestTimeoutMs));
                lastError = error != null ? error : lastError;
            }
            if (remaining.keySet().stream().anyMatch(tp -> view.leaderFor(tp) == null)) {
                metadata.requestUpdate();
                lastError = new LeaderNotAvailableException("no leader known for some of " + remaining.keySet());
            }
        }
        return answers;
    }

    private Map<Node, List<TopicPartition>> byLeader(ClusterView view, Iterable<TopicPartition> partitions) {
        Map<Node, List<TopicPartition>> grouped = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Node leader = view.leaderFor(tp);
            if (leader != null) {
                grouped.computeIfAbsent(leader, ignored -> new ArrayList<>()).add(tp);
            }
        }
        return grouped;
    }

    /** Sends one request; moves answered partitions from {@code remaining} to {@code answers}. */
    private TributaryException query(Node leader, List<TopicPartition> partitions,
                                     Map<TopicPartition, ListOffsetsPartition> remaining,
                                     Map<TopicPartition, ListOffsetsPartitionResponse> answers, long timeoutMs) {
        ListOffsetsRequest.Builder request = ListOffsetsRequest.newBuilder().setIsolationLevel(isolationLevel);
        partitions.forEach(tp -> request.addPartitions(remaining.get(tp)));
        ListOffsetsResponse response;
        try {
            response = FetchServiceGrpc.newBlockingStub(channels.forAddress(leader.host(), leader.port()))
                    .withDeadlineAfter(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS).listOffsets(request.build());
        } catch (RuntimeException e) {
            metadata.requestUpdate();
            channels.resetConnectBackoff();
            return GrpcErrors.fromThrowable(e, "node " + leader);
        }
        TributaryException retriable = null;
        for (ListOffsetsPartitionResponse answer : response.getPartitionsList()) {
            TopicPartition tp = new TopicPartition(answer.getTopic(), answer.getPartition());
            TributaryException error = GrpcErrors.fromCode(answer.getErrorCode(), answer.getErrorMessage());
            if (error == null) {
                answers.put(tp, answer);
                remaining.remove(tp);
            } else if (error instanceof RetriableException) {
                metadata.requestUpdate();
                retriable = error;
            } else {
                throw error;
            }
        }
        return retriable;
    }

    private static void pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while looking up offsets", e);
        }
    }
}
