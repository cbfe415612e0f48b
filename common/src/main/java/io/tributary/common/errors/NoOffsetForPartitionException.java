package io.tributary.common.errors;

import io.tributary.common.TopicPartition;
import java.util.Set;

/**
 * The consumer has no position for partitions and {@code auto.offset.reset=none} forbids choosing one.
 */
public class NoOffsetForPartitionException extends TributaryException {

    private final Set<TopicPartition> partitions;

    public NoOffsetForPartitionException(Set<TopicPartition> partitions) {
        super("no position for partitions " + partitions + " and auto.offset.reset=none; seek() first");
        this.partitions = Set.copyOf(partitions);
    }

    /** The partitions without a position. */
    public Set<TopicPartition> partitions() {
        return partitions;
    }
}
