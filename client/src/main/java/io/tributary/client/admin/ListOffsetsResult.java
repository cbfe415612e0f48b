package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import io.tributary.common.TopicPartition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#listOffsets}: one future per requested partition. A partition fails
 * with the exception for its error (for example
 * {@link io.tributary.common.errors.InvalidRequestException} for a negative timestamp), or with a
 * {@link io.tributary.common.errors.TimeoutException} naming the last error when it could not be
 * looked up in time (no leader, unknown topic or partition, unreachable leader). Futures complete on
 * a gRPC or admin thread; do not block those threads in dependent stages.
 */
public final class ListOffsetsResult {

    /**
     * One partition's answer.
     *
     * @param offset      the offset found; -1 when a timestamp lookup matched no record
     * @param timestamp   the record's timestamp for timestamp and max-timestamp lookups; -1 otherwise
     * @param leaderEpoch the leader epoch of the batch holding that offset, when known
     */
    public record ListOffsetsResultInfo(long offset, long timestamp, Optional<Integer> leaderEpoch) {
    }

    private final Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> futures;

    ListOffsetsResult(Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** The future of one requested partition. @throws IllegalArgumentException for a partition not requested */
    public CompletableFuture<ListOffsetsResultInfo> partitionResult(TopicPartition partition) {
        CompletableFuture<ListOffsetsResultInfo> future = futures.get(partition);
        if (future == null) {
            throw new IllegalArgumentException("partition " + partition + " was not part of the request");
        }
        return future;
    }

    /** Every partition's answer; fails with one of the failures when any partition failed. */
    public CompletableFuture<Map<TopicPartition, ListOffsetsResultInfo>> all() {
        return Futures.allValues(futures);
    }
}
