package io.tributary.client.consumer;

import io.tributary.client.PartitionInfo;
import io.tributary.common.TopicPartition;
import java.io.Closeable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads records from Tributary, as Kafka's {@code Consumer} does. Not thread-safe: one thread uses a
 * consumer; only {@link #wakeup()} may be called from another. Use from two threads at once is
 * detected and refused with {@link java.util.ConcurrentModificationException}.
 *
 * <p>Group membership ({@code subscribe}) and offset commits arrive with consumer groups; manual
 * assignment works without them.
 */
public interface Consumer<K, V> extends Closeable {

    /** Consumes exactly these partitions (replacing any earlier assignment). */
    void assign(Collection<TopicPartition> partitions);

    /** The partitions currently assigned. */
    Set<TopicPartition> assignment();

    /**
     * Returns records fetched for the assigned, unpaused partitions, waiting up to {@code timeout}
     * for some; fetching continues in the background while the application processes them.
     */
    ConsumerRecords<K, V> poll(Duration timeout);

    /** The next poll returns {@code partition}'s records from {@code offset}. */
    void seek(TopicPartition partition, long offset);

    /** Moves to the first offset of each partition (evaluated lazily, at the next poll or position). */
    void seekToBeginning(Collection<TopicPartition> partitions);

    /** Moves to the log end of each partition (evaluated lazily, at the next poll or position). */
    void seekToEnd(Collection<TopicPartition> partitions);

    /** The offset of the next record the consumer will return for {@code partition}. */
    long position(TopicPartition partition);

    long position(TopicPartition partition, Duration timeout);

    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout);

    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout);

    /** For each partition, the earliest offset with a timestamp at or after the given one (null if none). */
    Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch);

    Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestampsToSearch,
                                                            Duration timeout);

    /** Stops returning records of these partitions until {@link #resume}; positions are kept. */
    void pause(Collection<TopicPartition> partitions);

    void resume(Collection<TopicPartition> partitions);

    Set<TopicPartition> paused();

    List<PartitionInfo> partitionsFor(String topic);

    List<PartitionInfo> partitionsFor(String topic, Duration timeout);

    /** Makes the current (or next) blocking call throw {@link io.tributary.common.errors.WakeupException}; thread-safe. */
    void wakeup();

    @Override
    void close();

    void close(Duration timeout);
}
