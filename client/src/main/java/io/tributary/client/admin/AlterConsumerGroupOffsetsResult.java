package io.tributary.client.admin;

import io.tributary.common.TopicPartition;
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
public final class AlterConsumerGroupOffsetsResult extends PartitionResults {

    AlterConsumerGroupOffsetsResult(Map<TopicPartition, CompletableFuture<Void>> futures) {
        super(futures);
    }
}
