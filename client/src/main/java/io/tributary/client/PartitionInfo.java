package io.tributary.client;

import java.util.List;

/**
 * One partition of a topic as the cluster metadata describes it.
 *
 * @param topic       the topic
 * @param partition   the partition number
 * @param leader      the leader's node id, or -1 when the partition has no leader
 * @param leaderEpoch the leader epoch the metadata was taken at
 * @param replicas    node ids of all replicas, preferred leader first
 * @param isr         node ids of the in-sync replicas
 */
public record PartitionInfo(String topic, int partition, int leader, int leaderEpoch, List<Integer> replicas,
                            List<Integer> isr) {

    public PartitionInfo {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
