package io.tributary.client.admin;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A topic as {@link Admin#describeTopics} describes it. Immutable.
 *
 * @param name       the topic name
 * @param internal   whether it is an internal topic (name starts with "__")
 * @param topicId    the topic's unique id
 * @param partitions the partitions in partition order
 * @param configs    only the configs set on the topic itself; other keys take the broker defaults
 */
public record TopicDescription(String name, boolean internal, UUID topicId, List<TopicPartitionInfo> partitions,
                               Map<String, String> configs) {

    public TopicDescription {
        Objects.requireNonNull(name, "name");
        partitions = List.copyOf(partitions);
        configs = Map.copyOf(configs);
    }

    /** Kafka's name for {@link #internal()}. */
    public boolean isInternal() {
        return internal;
    }
}
