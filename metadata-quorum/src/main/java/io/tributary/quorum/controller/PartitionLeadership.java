package io.tributary.quorum.controller;

import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Partition leader election as the controller does it: the leader is the first replica, in
 * assignment order, that is in the ISR and on a usable (unfenced, not shutting down) broker. Never
 * an out-of-sync replica: a partition with no usable ISR member has no leader (-1) until one returns.
 *
 * <p>Pure: returns the PartitionRecords (full partition state, partition epoch + 1, leader epoch + 1
 * when the leader changes) to commit.
 */
final class PartitionLeadership {

    static final int NO_LEADER = -1;

    private PartitionLeadership() {
    }

    /**
     * Takes {@code brokerId} out of every ISR (unless it is the last member, which keeps the record of
     * who has the data) and out of leadership.
     *
     * @param usable whether a broker may lead, as it will be once these records commit
     */
    static List<MetadataRecord> removeBroker(MetadataImage image, int brokerId, IntPredicate usable) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsByName().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                if (!partition.isr().contains(brokerId) && partition.leader() != brokerId) {
                    continue;
                }
                List<Integer> isr = new ArrayList<>(partition.isr());
                if (isr.size() > 1) {
                    isr.remove(Integer.valueOf(brokerId));
                }
                int leader = partition.leader() == brokerId || partition.leader() == NO_LEADER
                        ? electLeader(partition.replicas(), isr, usable) : partition.leader();
                changed(topic.topicId(), partition, isr, leader).ifPresent(records::add);
            }
        }
        return records;
    }

    /** Elects leaders for leaderless partitions that have a usable ISR member again. */
    static List<MetadataRecord> electLeaderless(MetadataImage image, IntPredicate usable) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsByName().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                if (partition.leader() != NO_LEADER) {
                    continue;
                }
                int leader = electLeader(partition.replicas(), partition.isr(), usable);
                changed(topic.topicId(), partition, partition.isr(), leader).ifPresent(records::add);
            }
        }
        return records;
    }

    /** The first replica in assignment order that is in the ISR and usable, or -1. */
    static int electLeader(List<Integer> replicas, List<Integer> isr, IntPredicate usable) {
        for (int replica : replicas) {
            if (isr.contains(replica) && usable.test(replica)) {
                return replica;
            }
        }
        return NO_LEADER;
    }

    private static java.util.Optional<MetadataRecord> changed(String topicId, PartitionImage partition,
                                                              List<Integer> isr, int leader) {
        if (leader == partition.leader() && isr.equals(partition.isr())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(change(topicId, partition, isr, leader));
    }

    /**
     * The partition's next state with {@code isr} and {@code leader}: partition epoch + 1, and leader
     * epoch + 1 when the leader changes.
     */
    static MetadataRecord change(String topicId, PartitionImage partition, List<Integer> isr, int leader) {
        boolean leaderChanged = leader != partition.leader();
        return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
                .setTopicId(topicId).setPartition(partition.partition()).addAllReplicas(partition.replicas())
                .addAllIsr(isr).setLeader(leader)
                .setLeaderEpoch(leaderChanged ? partition.leaderEpoch() + 1 : partition.leaderEpoch())
                .setPartitionEpoch(partition.partitionEpoch() + 1)).build();
    }
}
