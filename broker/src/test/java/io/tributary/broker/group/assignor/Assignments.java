package io.tributary.broker.group.assignor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Builders for assignor inputs and the checks every built-in assignor's output must pass. */
final class Assignments {

    private Assignments() {
    }

    static MemberSpec member(String memberId, Set<String> topics) {
        return new MemberSpec(memberId, Optional.empty(), topics, MemberAssignment.EMPTY);
    }

    static MemberSpec member(String memberId, Set<String> topics, Map<String, Set<Integer>> current) {
        return new MemberSpec(memberId, Optional.empty(), topics, new MemberAssignment(current));
    }

    static MemberSpec staticMember(String memberId, String instanceId, Set<String> topics) {
        return new MemberSpec(memberId, Optional.of(instanceId), topics, MemberAssignment.EMPTY);
    }

    /** Topic metadata from alternating names and partition counts. */
    static TopicMetadata topics(Object... namesAndCounts) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < namesAndCounts.length; i += 2) {
            counts.put((String) namesAndCounts[i], (Integer) namesAndCounts[i + 1]);
        }
        return new TopicMetadata(counts);
    }

    /** How many partitions the assignment holds. */
    static int load(MemberAssignment assignment) {
        return assignment.partitionsByTopic().values().stream().mapToInt(Set::size).sum();
    }

    /** Partition to member id over a whole group assignment (or a group's current assignments). */
    static Map<TopicPartition, String> owners(Map<String, MemberAssignment> assignments) {
        Map<TopicPartition, String> owners = new HashMap<>();
        assignments.forEach((memberId, assignment) -> assignment.partitionsByTopic().forEach((topic, partitions) -> {
            for (int partition : partitions) {
                owners.put(new TopicPartition(topic, partition), memberId);
            }
        }));
        return owners;
    }

    static Map<TopicPartition, String> currentOwners(GroupSpec group) {
        Map<String, MemberAssignment> current = new HashMap<>();
        group.members().forEach(member -> current.put(member.memberId(), member.currentAssignment()));
        return owners(current);
    }

    /**
     * The {@link PartitionAssignor} contract plus the built-ins' completeness: an entry for every member
     * and no other, every partition of an existing subscribed topic given to exactly one of its
     * subscribers, nothing else given.
     */
    static void assertValidAndComplete(GroupSpec group, TopicMetadata topics, GroupAssignment result, String context) {
        Set<String> memberIds = new HashSet<>();
        group.members().forEach(member -> memberIds.add(member.memberId()));
        assertEquals(memberIds, result.members().keySet(), context + ": members");
        Map<TopicPartition, String> owners = new HashMap<>();
        for (MemberSpec member : group.members()) {
            result.members().get(member.memberId()).partitionsByTopic().forEach((topic, partitions) -> {
                assertTrue(member.subscribedTopics().contains(topic), context + ": " + member.memberId() + " got unsubscribed " + topic);
                for (int partition : partitions) {
                    assertTrue(partition < topics.partitionCount(topic), context + ": " + topic + "-" + partition + " does not exist");
                    String other = owners.put(new TopicPartition(topic, partition), member.memberId());
                    assertNull(other, context + ": " + topic + "-" + partition + " given to " + other + " and " + member.memberId());
                }
            });
        }
        int subscribedPartitions = 0;
        for (Map.Entry<String, Integer> topic : topics.partitionCounts().entrySet()) {
            if (group.members().stream().anyMatch(member -> member.subscribedTopics().contains(topic.getKey()))) {
                subscribedPartitions += topic.getValue();
            }
        }
        assertEquals(subscribedPartitions, owners.size(), context + ": partitions left unassigned");
    }

    /** How many partitions that had an owner in {@code before} have another one (or none) in {@code after}. */
    static int moved(Map<TopicPartition, String> before, Map<TopicPartition, String> after) {
        int moved = 0;
        for (Map.Entry<TopicPartition, String> entry : before.entrySet()) {
            if (after.containsKey(entry.getKey()) && !entry.getValue().equals(after.get(entry.getKey()))) {
                moved++;
            }
        }
        return moved;
    }
}
