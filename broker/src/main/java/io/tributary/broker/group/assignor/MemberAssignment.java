package io.tributary.broker.group.assignor;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The partitions one member owns, or is to own: topic name to partition numbers. The same type carries a
 * member's current assignment into an assignor and its target assignment out of it, so the coordinator
 * can feed one round's target back as the next round's current assignment.
 *
 * <p>Immutable. Topics iterate in name order and partitions in numeric order; topics without partitions
 * are dropped, so equal sets of partitions give equal assignments.
 *
 * @param partitionsByTopic topic name to partition numbers (each non-negative)
 */
public record MemberAssignment(Map<String, Set<Integer>> partitionsByTopic) {

    /** No partitions. */
    public static final MemberAssignment EMPTY = new MemberAssignment(Map.of());

    /**
     * @throws IllegalArgumentException when a topic name or partition set is null, or a partition
     *     number is null or negative
     */
    public MemberAssignment {
        Objects.requireNonNull(partitionsByTopic, "partitionsByTopic");
        partitionsByTopic = normalise(partitionsByTopic);
    }

    private static Map<String, Set<Integer>> normalise(Map<String, Set<Integer>> partitionsByTopic) {
        TreeMap<String, Set<Integer>> sorted = new TreeMap<>();
        for (Map.Entry<String, Set<Integer>> entry : partitionsByTopic.entrySet()) {
            String topic = entry.getKey();
            if (topic == null) {
                throw new IllegalArgumentException("an assignment names a null topic");
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("topic '" + topic + "' has a null partition set");
            }
            SortedSet<Integer> partitions = new TreeSet<>();
            for (Integer partition : entry.getValue()) {
                if (partition == null || partition < 0) {
                    throw new IllegalArgumentException("topic '" + topic + "' lists an invalid partition: " + partition);
                }
                partitions.add(partition);
            }
            if (!partitions.isEmpty()) {
                sorted.put(topic, Collections.unmodifiableSortedSet(partitions));
            }
        }
        return Collections.unmodifiableSortedMap(sorted);
    }
}
