package io.tributary.client.consumer;

import io.tributary.client.PartitionInfo;
import io.tributary.common.TopicPartition;
import java.io.Closeable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads records from Tributary, as Kafka's {@code Consumer} does. Not thread-safe: one thread uses a
 * consumer; only {@link #wakeup()} may be called from another. Use from two threads at once is
 * detected and refused with {@link java.util.ConcurrentModificationException}.
 *
 * <p>Partitions are either assigned by the application ({@link #assign}) or by the consumer group
 * named by {@code group.id} ({@link #subscribe}); the two are mutually exclusive. Offsets are committed
 * to the group in both cases (a consumer using assign() commits as a non-member, which the
 * coordinator accepts only while the group has no members).
 */
public interface Consumer<K, V> extends Closeable {

    /**
     * Consumes exactly these partitions (replacing any earlier assignment).
     *
     * @throws IllegalStateException when the consumer is subscribed
     */
    void assign(Collection<TopicPartition> partitions);

    /** The partitions currently assigned (by assign(), or by the group to a subscribed consumer). */
    Set<TopicPartition> assignment();

    /**
     * Joins the consumer's group (group.id) and consumes what its coordinator assigns among these
     * topics; replaces an earlier subscription. An empty collection means {@link #unsubscribe()}. The
     * group is joined, and partitions move, inside {@link #poll}.
     *
     * @throws IllegalStateException                              when partitions were assigned with assign()
     * @throws io.tributary.common.errors.InvalidGroupIdException without group.id
     */
    void subscribe(Collection<String> topics);

    /** {@link #subscribe(Collection)}, telling {@code listener} of every partition moved to or from this consumer. */
    void subscribe(Collection<String> topics, ConsumerRebalanceListener listener);

    /**
     * Subscribes to every topic whose whole name matches {@code pattern}, now or once created; the
     * coordinator evaluates the pattern (Java syntax; flags are sent inline).
     */
    void subscribe(Pattern pattern);

    void subscribe(Pattern pattern, ConsumerRebalanceListener listener);

    /**
     * Subscribes to every topic whose whole name matches the pattern's text, which the coordinator
     * compiles: an invalid one surfaces from {@link #poll} as InvalidRegularExpressionException.
     */
    void subscribe(SubscriptionPattern pattern);

    void subscribe(SubscriptionPattern pattern, ConsumerRebalanceListener listener);

    /**
     * Gives up every partition (committing first with enable.auto.commit, then onPartitionsRevoked)
     * and leaves the group; also clears a manual assignment.
     */
    void unsubscribe();

    /** The subscribed topics; for a pattern, the topics of the partitions assigned now. Empty when not subscribed. */
    Set<String> subscription();

    /** Commits the positions of every assigned partition, waiting up to default.api.timeout.ms. */
    void commitSync();

    void commitSync(Duration timeout);

    /**
     * Commits these offsets (each the next offset to consume).
     *
     * @throws io.tributary.common.errors.CommitFailedException when this member is no longer in the group
     * @throws io.tributary.common.errors.ApiException          the coordinator's error for a partition, e.g.
     *                                                          PartitionNotAssignedException for one that
     *                                                          another member owns
     */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets);

    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout);

    /** Commits the positions of every assigned partition without waiting; failures are logged. */
    void commitAsync();

    /** {@link #commitAsync()} whose outcome goes to {@code callback}, run in a later poll or commit call. */
    void commitAsync(OffsetCommitCallback callback);

    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback);

    /** The group's committed offsets of these partitions; a partition without one maps to null. */
    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions);

    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout);

    /** Who this consumer is in its group (generation = member epoch). */
    ConsumerGroupMetadata groupMetadata();

    /**
     * Asks the coordinator to compute the group's assignment again at the next heartbeat; partitions
     * move only if the assignor now decides differently. No-op when not subscribed.
     */
    void enforceRebalance();

    /**
     * Returns records fetched for the assigned, unpaused partitions, waiting up to {@code timeout}
     * for some; fetching continues in the background while the application processes them. For a
     * subscribed consumer it also follows the group: rebalance listener callbacks, auto-commit.
     * Calling it at least every max.poll.interval.ms keeps a subscribed consumer in its group.
     *
     * @throws IllegalStateException when neither subscribed nor assigned
     * @throws io.tributary.common.errors.FencedInstanceIdException when another consumer took over this
     *                                                             one's group.instance.id
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

    /**
     * Closes the consumer: with a group, commits (enable.auto.commit), calls onPartitionsRevoked and
     * leaves the group (a static member keeps its partitions for its session timeout), within the timeout.
     */
    @Override
    void close();

    void close(Duration timeout);
}
