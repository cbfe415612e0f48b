package io.tributary.common;

import java.util.Objects;

/**
 * A partition of a topic. Its text form {@code <topic>-<partition>} is also the partition's
 * directory name on disk; topic names may themselves contain '-', so parsing splits at the last one.
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
    }

    /**
     * Parses {@code <topic>-<partition>}.
     *
     * @throws IllegalArgumentException when the text has no '-' followed by a non-negative number
     */
    public static TopicPartition parse(String text) {
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("not a <topic>-<partition> name: '" + text + "'");
        }
        try {
            return new TopicPartition(text.substring(0, dash), Integer.parseInt(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a <topic>-<partition> name: '" + text + "'", e);
        }
    }

    @Override
    public int compareTo(TopicPartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
