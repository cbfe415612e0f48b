package io.tributary.client.admin;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A topic to create with {@link Admin#createTopics}: a name, optionally a partition count and a
 * replication factor (absent: the broker's {@code num.partitions} / {@code default.replication.factor}),
 * and topic-level configs under Kafka's names ({@code retention.ms}, {@code cleanup.policy}, ...).
 * As in Kafka, an explicit -1 also means "the broker default". The broker validates everything;
 * this class only rejects a null name. Not thread-safe while
 * {@link #configs(Map)} is being called.
 */
public final class NewTopic {

    private final String name;
    private final Optional<Integer> numPartitions;
    private final Optional<Short> replicationFactor;
    private Map<String, String> configs;

    /** A topic with an explicit partition count and replication factor. */
    public NewTopic(String name, int numPartitions, short replicationFactor) {
        this(name, Optional.of(numPartitions), Optional.of(replicationFactor));
    }

    /** A topic whose absent partition count or replication factor take the broker's defaults. */
    public NewTopic(String name, Optional<Integer> numPartitions, Optional<Short> replicationFactor) {
        this.name = Objects.requireNonNull(name, "name");
        this.numPartitions = Objects.requireNonNull(numPartitions, "numPartitions");
        this.replicationFactor = Objects.requireNonNull(replicationFactor, "replicationFactor");
    }

    public String name() {
        return name;
    }

    /** The requested partition count, or -1 when the broker default applies. */
    public int numPartitions() {
        return numPartitions.orElse(-1);
    }

    /** The requested replication factor, or -1 when the broker default applies. */
    public short replicationFactor() {
        return replicationFactor.orElse((short) -1);
    }

    /** Sets the topic-level configs (replacing any set before); returns this topic. */
    public NewTopic configs(Map<String, String> configs) {
        this.configs = configs == null ? null : Collections.unmodifiableMap(new HashMap<>(configs));
        return this;
    }

    /** The topic-level configs, or null when none were set. */
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewTopic other && name.equals(other.name) && numPartitions.equals(other.numPartitions)
                && replicationFactor.equals(other.replicationFactor) && Objects.equals(configs, other.configs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, numPartitions, replicationFactor, configs);
    }

    @Override
    public String toString() {
        return "(name=" + name + ", numPartitions=" + numPartitions.map(String::valueOf).orElse("default")
                + ", replicationFactor=" + replicationFactor.map(String::valueOf).orElse("default")
                + ", configs=" + configs + ")";
    }
}
