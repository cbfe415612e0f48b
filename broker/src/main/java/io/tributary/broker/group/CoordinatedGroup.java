package io.tributary.broker.group;

import io.tributary.common.TopicPartition;
import java.util.Map;

/**
 * A group this broker coordinates, as its shard last published it (for metrics).
 *
 * @param groupId          the group
 * @param members          its current members
 * @param committedOffsets its committed offset per partition
 */
public record CoordinatedGroup(String groupId, int members, Map<TopicPartition, Long> committedOffsets) {

    public CoordinatedGroup {
        committedOffsets = Map.copyOf(committedOffsets);
    }
}
