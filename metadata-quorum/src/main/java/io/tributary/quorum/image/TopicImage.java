package io.tributary.quorum.image;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A topic: its id, partitions (by partition number) and the configs set on it. Immutable. */
public record TopicImage(String name, String topicId, SortedMap<Integer, PartitionImage> partitions,
                         Map<String, String> configs) {

    public TopicImage {
        partitions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
        configs = Map.copyOf(configs);
    }

    /** Internal topics start with "__" and cannot be created or written by clients. */
    public boolean internal() {
        return isInternal(name);
    }

    public static boolean isInternal(String topicName) {
        return topicName.startsWith("__");
    }
}
