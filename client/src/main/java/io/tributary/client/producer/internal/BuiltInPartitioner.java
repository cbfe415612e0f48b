package io.tributary.client.producer.internal;

import io.tributary.client.PartitionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kafka's default partitioning: a record with a key goes to murmur2(key) modulo the partition count;
 * records without a key (or all records with {@code partitioner.ignore.keys}) stick to one partition
 * until about {@code batch.size} bytes went to it, then move to another chosen at random among the
 * partitions that have a leader, so batches fill up instead of every partition getting tiny ones.
 * Thread-safe.
 */
public final class BuiltInPartitioner {

    private final int stickyBatchBytes;
    private final boolean ignoreKeys;
    private final Map<String, Sticky> stickyByTopic = new ConcurrentHashMap<>();

    private static final class Sticky {
        int partition = -1;
        long bytes;
    }

    public BuiltInPartitioner(int batchSizeBytes, boolean ignoreKeys) {
        this.stickyBatchBytes = Math.max(1, batchSizeBytes);
        this.ignoreKeys = ignoreKeys;
    }

    /** The partition for a record of {@code recordBytes} (serialized size) with {@code keyBytes}. */
    public int partition(String topic, byte[] keyBytes, List<PartitionInfo> partitions, int recordBytes) {
        if (keyBytes != null && !ignoreKeys) {
            return Murmur2.partitionForKey(keyBytes, partitions.size());
        }
        Sticky sticky = stickyByTopic.computeIfAbsent(topic, ignored -> new Sticky());
        synchronized (sticky) {
            if (sticky.partition < 0 || sticky.partition >= partitions.size() || sticky.bytes >= stickyBatchBytes) {
                sticky.partition = nextPartition(partitions, sticky.partition);
                sticky.bytes = 0;
            }
            sticky.bytes += recordBytes;
            return sticky.partition;
        }
    }

    private static int nextPartition(List<PartitionInfo> partitions, int previous) {
        List<Integer> candidates = new ArrayList<>();
        for (PartitionInfo info : partitions) {
            if (info.leader() >= 0 && info.partition() != previous) {
                candidates.add(info.partition());
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (candidates.isEmpty()) {
            return partitions.size() == 1 || previous < 0 ? random.nextInt(partitions.size()) : previous;
        }
        return candidates.get(random.nextInt(candidates.size()));
    }
}
