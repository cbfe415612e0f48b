package io.tributary.broker.group.assignor;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The topics an assignor may hand out: name to partition count (partitions are numbered from 0). The
 * coordinator passes at least every existing topic the group subscribes to; a subscribed topic missing here
 * is treated as not existing and skipped.
 *
 * <p>Immutable; iterates in name order.
 *
 * @param partitionCounts topic name to its number of partitions
 */
public record TopicMetadata(Map<String, Integer> partitionCounts) {

    /**
     * @throws IllegalArgumentException when a topic name or count is null, or a count is negative
     */
    public TopicMetadata {
        Objects.requireNonNull(partitionCounts, "partitionCounts");
        TreeMap<String, Integer> sorted = new TreeMap<>();
        for (Map.Entry<String, Integer> entry : partitionCounts.entrySet()) {
            if (entry.getKey() == null) {
                throw new IllegalArgumentException("topic metadata names a null topic");
            }
            Integer count = entry.getValue();
            if (count == null || count < 0) {
                throw new IllegalArgumentException("topic '" + entry.getKey() + "' has an invalid partition count: " + count);
            }
            sorted.put(entry.getKey(), count);
        }
        partitionCounts = Collections.unmodifiableSortedMap(sorted);
    }

    /** The topic's partition count, 0 for a topic that does not exist (there is nothing to assign either way). */
    public int partitionCount(String topic) {
        return partitionCounts.getOrDefault(topic, 0);
    }
}
