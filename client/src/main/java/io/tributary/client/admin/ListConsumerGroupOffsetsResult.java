package io.tributary.client.admin;

import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.common.TopicPartition;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#listConsumerGroupOffsets}: the group's committed offsets, only for
 * partitions it has one for (an unknown group has none), or the call's failure (for example
 * {@link io.tributary.common.errors.InvalidGroupIdException}, or a timeout).
 */
public final class ListConsumerGroupOffsetsResult {

    private final CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> offsets;

    ListConsumerGroupOffsetsResult(CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> offsets) {
        this.offsets = offsets;
    }

    /** The committed offsets by partition, in topic and partition order; unmodifiable. */
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> partitionsToOffsetAndMetadata() {
        return offsets;
    }
}
