package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import io.tributary.common.TopicPartition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#deleteConsumerGroupOffsets}: one future per partition. A group-level
 * failure ({@link io.tributary.common.errors.GroupIdNotFoundException}, a timeout) fails every
 * partition; {@link io.tributary.common.errors.GroupSubscribedToTopicException} fails the
 * partitions of a topic a member subscribes to, whose offsets are kept. Futures complete on a gRPC
 * or admin thread.
 */
public final class DeleteConsumerGroupOffsetsResult {

    private final Map<TopicPartition, CompletableFuture<Void>> futures;

    DeleteConsumerGroupOffsetsResult(Map<TopicPartition, CompletableFuture<Void>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** The future of one partition. @throws IllegalArgumentException for a partition not requested */
    public CompletableFuture<Void> partitionResult(TopicPartition partition) {
        return Futures.requested(futures, partition, "partition " + partition);
    }

    /** Succeeds when every partition's offset was deleted; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(futures.values());
    }
}
