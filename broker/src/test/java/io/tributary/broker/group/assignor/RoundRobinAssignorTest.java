package io.tributary.broker.group.assignor;

import static io.tributary.broker.group.assignor.Assignments.assertValidAndComplete;
import static io.tributary.broker.group.assignor.Assignments.member;
import static io.tributary.broker.group.assignor.Assignments.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.storage.testing.Seeds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link RoundRobinAssignor}: Kafka's documented examples, and seeded random groups against a reference. */
@Tag("unit")
class RoundRobinAssignorTest {

    private static final int RANDOM_GROUPS = 300;

    private final RoundRobinAssignor assignor = new RoundRobinAssignor();

    @Test
    void testKafkaDocumentedExampleTwoMembersTwoTopicsOfThree() {
        GroupSpec group = new GroupSpec(List.of(member("C0", Set.of("t0", "t1")), member("C1", Set.of("t0", "t1"))));

        GroupAssignment result = assignor.assign(group, topics("t0", 3, "t1", 3));

        assertEquals(new MemberAssignment(Map.of("t0", Set.of(0, 2), "t1", Set.of(1))), result.members().get("C0"));
        assertEquals(new MemberAssignment(Map.of("t0", Set.of(1), "t1", Set.of(0, 2))), result.members().get("C1"));
    }

    @Test
    void testKafkaDocumentedExampleDifferentSubscriptionsSkipMembers() {
        GroupSpec group = new GroupSpec(List.of(member("C0", Set.of("t0")), member("C1", Set.of("t0", "t1")),
                member("C2", Set.of("t0", "t1", "t2"))));

        GroupAssignment result = assignor.assign(group, topics("t0", 1, "t1", 2, "t2", 3));

        assertEquals(new MemberAssignment(Map.of("t0", Set.of(0))), result.members().get("C0"));
        assertEquals(new MemberAssignment(Map.of("t1", Set.of(0))), result.members().get("C1"));
        assertEquals(new MemberAssignment(Map.of("t1", Set.of(1), "t2", Set.of(0, 1, 2))), result.members().get("C2"));
    }

    @Test
    void testIdenticalSubscriptionsAreBalancedWithinOne() {
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("x", "y")), member("b", Set.of("x", "y")),
                member("c", Set.of("x", "y", "absent"))));

        GroupAssignment result = assignor.assign(group, topics("x", 5, "y", 3));

        assertEquals(new MemberAssignment(Map.of("x", Set.of(0, 3), "y", Set.of(1))), result.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("x", Set.of(1, 4), "y", Set.of(2))), result.members().get("b"));
        assertEquals(new MemberAssignment(Map.of("x", Set.of(2), "y", Set.of(0))), result.members().get("c"));
    }

    @Test
    void testRandomGroupsMatchTheReference() {
        long seed = Seeds.seed("RoundRobinAssignorTest");
        RandomGroups random = new RandomGroups(seed);
        for (int iteration = 0; iteration < RANDOM_GROUPS; iteration++) {
            String context = "seed=" + seed + " iteration=" + iteration;
            TopicMetadata topics = random.topics(10, 50);
            boolean identical = random.random().nextBoolean();
            Set<String> shared = random.subscription(topics);
            GroupSpec group = random.withRandomCurrentAssignments(random.members(random.random().nextInt(1, 21),
                    () -> identical ? shared : random.subscription(topics)), topics);

            GroupAssignment result = assignor.assign(group, topics);

            assertValidAndComplete(group, topics, result, context);
            assertEquals(reference(group, topics), result, context);
            if (identical) {
                IntSummary loads = IntSummary.of(result);
                assertTrue(loads.max() - loads.min() <= 1, context + ": unbalanced " + loads);
            }
        }
    }

    /**
     * Kafka's description taken literally: all subscribed partitions sorted, the members in a ring;
     * each partition goes to the first member from the ring's head that subscribes to its topic, and
     * the head moves past that member.
     */
    private static GroupAssignment reference(GroupSpec group, TopicMetadata topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        topics.partitionCounts().forEach((topic, count) -> {
            if (group.members().stream().anyMatch(member -> member.subscribedTopics().contains(topic))) {
                for (int partition = 0; partition < count; partition++) {
                    partitions.add(new TopicPartition(topic, partition));
                }
            }
        });
        partitions.sort(null);
        List<MemberSpec> sorted = new ArrayList<>(group.members());
        sorted.sort(GroupSpec.ASSIGNMENT_ORDER);
        Deque<MemberSpec> ring = new ArrayDeque<>(sorted);
        Map<String, Map<String, Set<Integer>>> assigned = new HashMap<>();
        group.members().forEach(member -> assigned.put(member.memberId(), new TreeMap<>()));
        for (TopicPartition partition : partitions) {
            while (!ring.peekFirst().subscribedTopics().contains(partition.topic())) {
                ring.addLast(ring.pollFirst());
            }
            MemberSpec taker = ring.pollFirst();
            ring.addLast(taker);
            assigned.get(taker.memberId()).computeIfAbsent(partition.topic(), t -> new TreeSet<>()).add(partition.partition());
        }
        Map<String, MemberAssignment> members = new HashMap<>();
        assigned.forEach((memberId, owned) -> members.put(memberId, new MemberAssignment(owned)));
        return new GroupAssignment(members);
    }
}
