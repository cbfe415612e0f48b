package io.tributary.quorum.controller;

import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import io.tributary.storage.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partition leader election as the controller does it: the leader is the first replica, in
 * assignment order, that is in the ISR and on a usable (unfenced, not shutting down) broker. A
 * partition with no usable ISR member has no leader (-1) until one returns — unless its topic enables
 * {@code unclean.leader.election.enable}: then the first usable replica leads although it is out of
 * sync, and alone makes up the ISR (the records only the old ISR had are lost).
 *
 * <p>Pure: returns the PartitionRecords (full partition state, partition epoch + 1, leader epoch + 1
 * when the leader changes) to commit.
 */
final class PartitionLeadership {

    private static final Logger log = LoggerFactory.getLogger(PartitionLeadership.class);

    static final int NO_LEADER = -1;

    private PartitionLeadership() {
    }

    /**
     * Whether a topic lets an out-of-sync replica lead: its own {@code unclean.leader.election.enable},
     * else the broker's topic default, else false.
     */
    static Predicate<TopicImage> uncleanElectionEnabled(Map<String, String> topicConfigDefaults) {
        String key = LogConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG;
        String brokerDefault = topicConfigDefaults.getOrDefault(key, "false");
        // Both were validated as booleans when set (LogConfig, BrokerConfig); anything else reads as the safe false.
        return topic -> topic.configs().getOrDefault(key, brokerDefault).trim().equalsIgnoreCase("true");
    }

    /**
     * Takes {@code brokerId} out of every ISR (unless it is the last member, which keeps the record of
     * who has the data) and out of leadership.
     *
     * @param usable         whether a broker may lead, as it will be once these records commit
     * @param uncleanAllowed whether a topic's partitions may get an out-of-sync leader
     */
    static List<MetadataRecord> removeBroker(MetadataImage image, int brokerId, IntPredicate usable,
                                             Predicate<TopicImage> uncleanAllowed) {
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
                withLeader(topic, partition, isr, leader, usable, uncleanAllowed).ifPresent(records::add);
            }
        }
        return records;
    }

    /** Elects leaders for leaderless partitions that have a usable ISR member (or, if allowed, replica) again. */
    static List<MetadataRecord> electLeaderless(MetadataImage image, IntPredicate usable,
                                                Predicate<TopicImage> uncleanAllowed) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsByName().values()) {
            for (PartitionImage partition : topic.partitions().values()) {
                if (partition.leader() != NO_LEADER) {
                    continue;
                }
                int leader = electLeader(partition.replicas(), partition.isr(), usable);
                withLeader(topic, partition, partition.isr(), leader, usable, uncleanAllowed).ifPresent(records::add);
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

    /**
     * An out-of-sync leader for a partition none of whose in-sync replicas is usable: the first usable
     * replica in assignment order, which then alone is in sync. Empty when no replica is usable.
     */
    static Optional<MetadataRecord> electUnclean(TopicImage topic, PartitionImage partition, IntPredicate usable) {
        for (int replica : partition.replicas()) {
            if (usable.test(replica)) {
                log.warn("Unclean leader election for {}-{}: out-of-sync replica {} leads because no member of the "
                        + "ISR {} can; records acknowledged by that ISR but missing on replica {} may be lost",
                        topic.name(), partition.partition(), replica, partition.isr(), replica);
                return Optional.of(change(topic.topicId(), partition, List.of(replica), replica));
            }
        }
        return Optional.empty();
    }

    /** The partition's next state with {@code isr} and {@code leader}, falling back to an unclean election. */
    private static Optional<MetadataRecord> withLeader(TopicImage topic, PartitionImage partition, List<Integer> isr,
                                                       int leader, IntPredicate usable,
                                                       Predicate<TopicImage> uncleanAllowed) {
        if (leader == NO_LEADER && uncleanAllowed.test(topic)) {
            Optional<MetadataRecord> unclean = electUnclean(topic, partition, usable);
            if (unclean.isPresent()) {
                return unclean;
            }
        }
        if (leader == partition.leader() && isr.equals(partition.isr())) {
            return Optional.empty();
        }
        return Optional.of(change(topic.topicId(), partition, isr, leader));
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
