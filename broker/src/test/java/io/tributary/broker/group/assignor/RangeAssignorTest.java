package io.tributary.broker.group.assignor;

import static io.tributary.broker.group.assignor.Assignments.assertValidAndComplete;
import static io.tributary.broker.group.assignor.Assignments.member;
import static io.tributary.broker.group.assignor.Assignments.staticMember;
import static io.tributary.broker.group.assignor.Assignments.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.storage.testing.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link RangeAssignor}: Kafka's documented examples, and seeded random groups against a reference. */
@Tag("unit")
class RangeAssignorTest {

    private static final int RANDOM_GROUPS = 300;

    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void testKafkaDocumentedExampleTwoMembersTwoTopicsOfThree() {
        GroupSpec group = new GroupSpec(List.of(member("C1", Set.of("t0", "t1")), member("C0", Set.of("t0", "t1"))));

        GroupAssignment result = assignor.assign(group, topics("t0", 3, "t1", 3));

        assertEquals(new MemberAssignment(Map.of("t0", Set.of(0, 1), "t1", Set.of(0, 1))), result.members().get("C0"));
        assertEquals(new MemberAssignment(Map.of("t0", Set.of(2), "t1", Set.of(2))), result.members().get("C1"));
    }

    @Test
    void testEachTopicIsSplitAmongItsOwnSubscribersAndUnknownTopicsAreSkipped() {
        GroupSpec group = new GroupSpec(List.of(
                member("a", Set.of("t0", "t1")), member("b", Set.of("t1", "gone")), member("c", Set.of("t1"))));

        GroupAssignment result = assignor.assign(group, topics("t0", 2, "t1", 7, "unsubscribed", 4));

        assertEquals(new MemberAssignment(Map.of("t0", Set.of(0, 1), "t1", Set.of(0, 1, 2))), result.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("t1", Set.of(3, 4))), result.members().get("b"));
        assertEquals(new MemberAssignment(Map.of("t1", Set.of(5, 6))), result.members().get("c"));
    }

    @Test
    void testStaticMembersRankByInstanceIdSoARestartWithANewMemberIdKeepsTheRange() {
        GroupSpec before = new GroupSpec(List.of(staticMember("z", "i1", Set.of("t")), staticMember("a", "i2", Set.of("t")),
                member("dynamic", Set.of("t"))));
        GroupSpec afterRestart = new GroupSpec(List.of(staticMember("y", "i1", Set.of("t")), staticMember("a", "i2", Set.of("t")),
                member("dynamic", Set.of("t"))));

        GroupAssignment first = assignor.assign(before, topics("t", 4));
        GroupAssignment second = assignor.assign(afterRestart, topics("t", 4));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0, 1))), first.members().get("z"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(2))), first.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(3))), first.members().get("dynamic"));
        assertEquals(first.members().get("z"), second.members().get("y"));
    }

    @Test
    void testMoreMembersThanPartitionsLeavesTheLastMembersEmpty() {
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("t")), member("b", Set.of("t")), member("c", Set.of("t"))));

        GroupAssignment result = assignor.assign(group, topics("t", 2));

        assertEquals(MemberAssignment.EMPTY, result.members().get("c"));
        assertValidAndComplete(group, topics("t", 2), result, "three members, two partitions");
    }

    @Test
    void testRandomGroupsMatchTheReference() {
        long seed = Seeds.seed("RangeAssignorTest");
        RandomGroups random = new RandomGroups(seed);
        for (int iteration = 0; iteration < RANDOM_GROUPS; iteration++) {
            String context = "seed=" + seed + " iteration=" + iteration;
            TopicMetadata topics = random.topics(10, 50);
            GroupSpec group = random.withRandomCurrentAssignments(
                    random.members(random.random().nextInt(1, 21), () -> random.subscription(topics)), topics);

            GroupAssignment result = assignor.assign(group, topics);

            assertValidAndComplete(group, topics, result, context);
            assertEquals(reference(group, topics), result, context);
        }
    }

    /**
     * Deals each topic's partitions in order: each subscriber in turn takes its share of what is left,
     * rounded up, which hands the extra partitions to the first {@code n % k}.
     */
    private static GroupAssignment reference(GroupSpec group, TopicMetadata topics) {
        Map<String, Map<String, Set<Integer>>> assigned = new HashMap<>();
        group.members().forEach(member -> assigned.put(member.memberId(), new HashMap<>()));
        topics.partitionCounts().forEach((topic, count) -> {
            List<MemberSpec> subscribers = new ArrayList<>(group.members().stream()
                    .filter(member -> member.subscribedTopics().contains(topic)).toList());
            subscribers.sort(GroupSpec.ASSIGNMENT_ORDER);
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int left = count - next;
                int share = (left + subscribers.size() - i - 1) / (subscribers.size() - i);
                Set<Integer> partitions = new TreeSet<>();
                for (int taken = 0; taken < share; taken++) {
                    partitions.add(next++);
                }
                assigned.get(subscribers.get(i).memberId()).put(topic, partitions);
            }
        });
        Map<String, MemberAssignment> members = new HashMap<>();
        assigned.forEach((memberId, partitions) -> members.put(memberId, new MemberAssignment(partitions)));
        return new GroupAssignment(members);
    }
}
