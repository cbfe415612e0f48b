package io.tributary.broker.group.assignor;

import static io.tributary.broker.group.assignor.Assignments.member;
import static io.tributary.broker.group.assignor.Assignments.staticMember;
import static io.tributary.broker.group.assignor.Assignments.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The input and output records: what they accept, what they refuse and how, and their normal forms. */
@Tag("unit")
class AssignorInputTest {

    @Test
    void testDuplicateMemberIdsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GroupSpec(List.of(member("a", Set.of("t")), member("b", Set.of()), member("a", Set.of()))));
        assertEquals("duplicate member id 'a'", e.getMessage());
    }

    @Test
    void testDuplicateInstanceIdsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GroupSpec(List.of(staticMember("a", "i", Set.of()), staticMember("b", "i", Set.of()))));
        assertEquals("duplicate instance id 'i' (member 'b')", e.getMessage());
    }

    @Test
    void testAPartitionInTwoCurrentAssignmentsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupSpec(List.of(
                member("a", Set.of("t"), Map.of("t", Set.of(0, 1))), member("b", Set.of("t"), Map.of("t", Set.of(1, 2))))));
        assertEquals("partition t-1 is in the current assignment of both 'a' and 'b'", e.getMessage());
    }

    @Test
    void testANullMemberIsRefused() {
        assertThrows(NullPointerException.class, () -> new GroupSpec(Arrays.asList(member("a", Set.of()), null)));
    }

    @Test
    void testNegativeOrMissingPartitionCountsAreRefused() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> topics("t", 3, "u", -1));
        assertEquals("topic 'u' has an invalid partition count: -1", negative.getMessage());
        Map<String, Integer> withNull = new HashMap<>();
        withNull.put("t", null);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new TopicMetadata(withNull));
        assertEquals("topic 't' has an invalid partition count: null", missing.getMessage());
        Map<String, Integer> nullName = new HashMap<>();
        nullName.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> new TopicMetadata(nullName));
    }

    @Test
    void testAnUnknownTopicHasNoPartitions() {
        assertEquals(0, topics("t", 3).partitionCount("u"));
        assertEquals(3, topics("t", 3).partitionCount("t"));
    }

    @Test
    void testInvalidMemberFieldsAreRefused() {
        Set<String> withNull = new HashSet<>(Arrays.asList("t", null));
        assertEquals("a member id must not be empty", assertThrows(IllegalArgumentException.class,
                () -> member("", Set.of())).getMessage());
        assertEquals("member 'a' has an empty instance id", assertThrows(IllegalArgumentException.class,
                () -> staticMember("a", "", Set.of())).getMessage());
        assertEquals("member 'a' subscribes to a null topic", assertThrows(IllegalArgumentException.class,
                () -> member("a", withNull)).getMessage());
        assertThrows(NullPointerException.class, () -> new MemberSpec(null, Optional.empty(), Set.of(), MemberAssignment.EMPTY));
        assertThrows(NullPointerException.class, () -> new MemberSpec("a", null, Set.of(), MemberAssignment.EMPTY));
        assertThrows(NullPointerException.class, () -> new MemberSpec("a", Optional.empty(), null, MemberAssignment.EMPTY));
        assertThrows(NullPointerException.class, () -> new MemberSpec("a", Optional.empty(), Set.of(), null));
    }

    @Test
    void testInvalidAssignmentsAreRefused() {
        assertEquals("topic 't' lists an invalid partition: -1", assertThrows(IllegalArgumentException.class,
                () -> new MemberAssignment(Map.of("t", Set.of(0, -1)))).getMessage());
        Set<Integer> nullPartition = new HashSet<>(Arrays.asList(0, null));
        assertEquals("topic 't' lists an invalid partition: null", assertThrows(IllegalArgumentException.class,
                () -> new MemberAssignment(Map.of("t", nullPartition))).getMessage());
        Map<String, Set<Integer>> nullSet = new HashMap<>();
        nullSet.put("t", null);
        assertEquals("topic 't' has a null partition set", assertThrows(IllegalArgumentException.class,
                () -> new MemberAssignment(nullSet)).getMessage());
        Map<String, Set<Integer>> nullTopic = new HashMap<>();
        nullTopic.put(null, Set.of(1));
        assertEquals("an assignment names a null topic", assertThrows(IllegalArgumentException.class,
                () -> new MemberAssignment(nullTopic)).getMessage());
        Map<String, MemberAssignment> nullMember = new HashMap<>();
        nullMember.put("a", null);
        assertThrows(IllegalArgumentException.class, () -> new GroupAssignment(nullMember));
    }

    @Test
    void testAssignmentsAreSortedAndDropEmptyTopics() {
        MemberAssignment assignment = new MemberAssignment(Map.of("t", Set.of(2, 0), "empty", Set.of(), "u", Set.of(5)));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0, 2), "u", Set.of(5))), assignment);
        assertEquals(List.of("t", "u"), List.copyOf(assignment.partitionsByTopic().keySet()));
        assertEquals(Map.of(), MemberAssignment.EMPTY.partitionsByTopic());
    }

    @Test
    void testMembersAreKeptInAssignmentOrderWhateverTheInputOrder() {
        MemberSpec dynamicA = member("a", Set.of());
        MemberSpec dynamicB = member("b", Set.of());
        MemberSpec staticZ = staticMember("z", "i1", Set.of());
        MemberSpec staticC = staticMember("c", "i2", Set.of());

        GroupSpec group = new GroupSpec(List.of(dynamicB, staticC, dynamicA, staticZ));

        assertEquals(List.of(staticZ, staticC, dynamicA, dynamicB), group.members());
    }
}
