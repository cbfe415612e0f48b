package io.tributary.tools.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One {@code --topic} of {@code consumer-groups}: a topic and, after a colon, some of its partitions
 * ({@code orders:0,2}), as Kafka's tool takes it. Immutable.
 *
 * @param topic      the topic name
 * @param partitions the partitions, ascending and without repeats; empty for every partition
 */
public record TopicScope(String topic, List<Integer> partitions) {

    public TopicScope {
        partitions = List.copyOf(partitions);
    }

    /**
     * Parses {@code TOPIC} or {@code TOPIC:P[,P...]}.
     *
     * @throws IllegalArgumentException naming the text when the topic is empty or a partition is not a
     *     non-negative number
     */
    public static TopicScope parse(String text) {
        int colon = text.indexOf(':');
        String topic = colon < 0 ? text : text.substring(0, colon);
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("--topic needs a topic name, as TOPIC or TOPIC:PARTITION[,PARTITION...]; "
                    + "got '" + text + "'");
        }
        if (colon < 0) {
            return new TopicScope(topic, List.of());
        }
        TreeSet<Integer> partitions = new TreeSet<>();
        for (String part : text.substring(colon + 1).split(",", -1)) {
            int partition;
            try {
                partition = Integer.parseInt(part.strip());
            } catch (NumberFormatException e) {
                partition = -1;
            }
            if (partition < 0) {
                throw new IllegalArgumentException("--topic partitions must be numbers >= 0, as in " + topic + ":0,2; "
                        + "got '" + text + "'");
            }
            partitions.add(partition);
        }
        return new TopicScope(topic, new ArrayList<>(partitions));
    }
}
