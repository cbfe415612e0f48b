package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import java.util.Collection;
import java.util.List;

/**
 * Told about a partition's events; never called under the state lock, but a storage failure is
 * reported by the thread that hit it, which may hold the append lock: implementations must only
 * hand the event on (the purgatories re-check on their own threads).
 */
public interface PartitionListener {
    /** The high watermark advanced, or the partition failed, was removed or changed role. */
    void onHighWatermarkAdvanced(Partition partition);

    /** A leader appended records: followers waiting for data can be answered. */
    void onLogAppended(Partition partition);

    /**
     * This node, as leader, applied a committed ISR that differs from the one it had (after its own
     * shrink or expansion, or one the controller made, such as a controlled shutdown's).
     */
    default void onIsrChanged(Partition partition, List<Integer> previous, List<Integer> current) {
    }

    /**
     * This node, as follower, moved its log start offset (to its leader's, after DeleteRecords or the
     * leader's retention) and must make it durable before reporting it to the leader: called by
     * {@link Partition#persistLogStartOffsets} on the replica fetcher's thread, outside the partition's
     * locks, so it may block. Throws when no checkpoint could be written at all; a directory that
     * could not be written goes offline instead (each partition checks its own).
     */
    default void onLogStartOffsetIncremented(Collection<TopicPartition> partitions) {
    }
}
