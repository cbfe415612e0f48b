package io.tributary.client.admin;

import io.tributary.common.TopicPartition;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#deleteConsumerGroupOffsets}: one future per partition. A group-level
 * failure ({@link io.tributary.common.errors.GroupIdNotFoundException}, a timeout) fails every
 * partition; {@link io.tributary.common.errors.GroupSubscribedToTopicException} fails the
 * partitions of a topic a member subscribes to, whose offsets are kept. Futures complete on a gRPC
 * or admin thread.
 */
public final class DeleteConsumerGroupOffsetsResult extends PartitionResults {

    DeleteConsumerGroupOffsetsResult(Map<TopicPartition, CompletableFuture<Void>> futures) {
        super(futures);
    }
}
