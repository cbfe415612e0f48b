package io.tributary.client.admin;

import io.tributary.client.Node;
import java.util.List;

/**
 * One partition of a described topic. Replicas that are not live brokers appear as a {@link Node}
 * with their id, an empty host and port -1. Immutable.
 *
 * @param partition the partition number
 * @param leader    the leader, or null when the partition has no leader
 * @param replicas  every assigned replica, the preferred leader first
 * @param isr       the in-sync replicas
 */
public record TopicPartitionInfo(int partition, Node leader, List<Node> replicas, List<Node> isr) {

    public TopicPartitionInfo {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
