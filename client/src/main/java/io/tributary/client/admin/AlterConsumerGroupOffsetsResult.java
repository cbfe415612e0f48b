package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import io.tributary.common.TopicPartition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#alterConsumerGroupOffsets}: one future per partition. A group-level
 * failure ({@link io.tributary.common.errors.GroupNotEmptyException} while the group has members,
 * {@link io.tributary.common.errors.InvalidGroupIdException}, a timeout) fails every partition and
 * then nothing was committed; a partition-level one (for example
 * {@link io.tributary.common.errors.UnknownTopicOrPartitionException}) fails that partition only,
 * the others being committed together. Futures complete on a gRPC or admin thread.
 */
public final class AlterConsumerGroupOffsetsResult {

    private final Map<TopicPartition, CompletableFuture<Void>> futures;

    AlterConsumerGroupOffsetsResult(Map<TopicPartition, CompletableFuture<Void>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** The future of one partition. @throws IllegalArgumentException for a partition not requested */
    public CompletableFuture<Void> partitionResult(TopicPartition partition) {
        return Futures.requested(futures, partition, "partition " + partition);
    }

    /** Succeeds when every partition's offset was committed; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(futures.values());
    }
}
