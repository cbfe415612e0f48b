package io.tributary.client.producer;

import io.tributary.client.PartitionInfo;
import java.io.Closeable;
import java.util.List;
import java.util.Map;

/**
 * Chooses the partition of a record that names none. Named in {@code partitioner.class}; needs a
 * public no-argument constructor and must be thread-safe (every sending thread calls it).
 */
public interface Partitioner extends Closeable {

    /** Receives the producer's configuration once, before the first call. */
    default void configure(Map<String, ?> configs) {
    }

    /**
     * @param partitions the topic's partitions from the latest metadata, by partition number
     * @return a partition number in {@code [0, partitions.size())}
     */
    int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                  List<PartitionInfo> partitions);

    @Override
    default void close() {
    }
}
