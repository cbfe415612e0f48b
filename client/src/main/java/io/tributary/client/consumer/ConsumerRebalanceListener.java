package io.tributary.client.consumer;

import io.tributary.common.TopicPartition;
import java.util.Collection;

/**
 * Told when the group moves partitions to or away from this consumer, as Kafka's
 * {@code ConsumerRebalanceListener}. Every method runs on the application thread, inside
 * {@code poll()} (or {@code close()} / {@code unsubscribe()}), so it may call the consumer, e.g. to
 * commit or seek.
 *
 * <p>Ordering guarantees: {@link #onPartitionsRevoked} runs before the consumer tells the coordinator
 * it released the partitions, so offsets committed there are the ones the next owner starts from; no
 * record of a revoked partition is returned after it. {@link #onPartitionsAssigned} runs before any
 * record of the new partitions is returned (a seek there decides where consumption starts), and once
 * after the consumer first joins even when it got nothing.
 *
 * <p>An exception thrown by a callback does not stop the rebalance: it is rethrown from the
 * {@code poll()} that ran the callback, once the consumer has finished moving its partitions.
 */
public interface ConsumerRebalanceListener {

    /** These partitions are being taken away; commit what was consumed of them now if needed. */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** These partitions were newly given to this consumer (possibly none, after the first join). */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * These partitions were lost: the coordinator already gave them to others (this member was fenced
     * or stopped polling for max.poll.interval.ms), so committing their offsets is no longer possible.
     * By default it calls {@link #onPartitionsRevoked}, as Kafka's does.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}
