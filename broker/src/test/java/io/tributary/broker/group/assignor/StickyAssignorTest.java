package io.tributary.broker.group.assignor;

import static io.tributary.broker.group.assignor.Assignments.assertValidAndComplete;
import static io.tributary.broker.group.assignor.Assignments.member;
import static io.tributary.broker.group.assignor.Assignments.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link StickyAssignor} on hand-checked groups; {@link StickyAssignorRandomizedTest} covers random ones. */
@Tag("unit")
class StickyAssignorTest {

    private final StickyAssignor assignor = new StickyAssignor();

    @Test
    void testANewGroupIsDealtInQuotas() {
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("t")), member("b", Set.of("t")), member("c", Set.of("t"))));

        GroupAssignment result = assignor.assign(group, topics("t", 7));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0, 1, 2))), result.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(3, 4))), result.members().get("b"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(5, 6))), result.members().get("c"));
    }

    @Test
    void testALeavingMembersPartitionsAreSharedAndNothingElseMoves() {
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("t"), Map.of("t", Set.of(0, 1))),
                member("b", Set.of("t"), Map.of("t", Set.of(2, 3)))));

        GroupAssignment result = assignor.assign(group, topics("t", 6));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0, 1, 4))), result.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(2, 3, 5))), result.members().get("b"));
    }

    @Test
    void testAJoiningMemberTakesOnlyItsQuotaFromTheOthers() {
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("t"), Map.of("t", Set.of(0, 1, 2))),
                member("b", Set.of("t"), Map.of("t", Set.of(3, 4, 5))), member("c", Set.of("t"))));

        GroupAssignment result = assignor.assign(group, topics("t", 6));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0, 1))), result.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(3, 4))), result.members().get("b"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(2, 5))), result.members().get("c"));
    }

    @Test
    void testExtraSlotsGoToMembersThatAlreadyHoldMoreThanTheQuota() {
        // 7 partitions over 3 members: quota 2, one extra slot. b holds 4, so b keeps 3 and no one gains
        // a partition it would then have to give back.
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("t"), Map.of("t", Set.of(0))),
                member("b", Set.of("t"), Map.of("t", Set.of(1, 2, 3, 4))), member("c", Set.of("t"), Map.of("t", Set.of(5)))));

        GroupAssignment result = assignor.assign(group, topics("t", 7));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0, 4))), result.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(1, 2, 3))), result.members().get("b"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(5, 6))), result.members().get("c"));
    }

    @Test
    void testPartitionsAMemberCanNoLongerKeepAreReassigned() {
        // a dropped topic u; "gone" was deleted; t shrank to 2 partitions (recreated), so t-5 is stale.
        GroupSpec group = new GroupSpec(List.of(
                member("a", Set.of("t"), Map.of("t", Set.of(0, 5), "u", Set.of(0), "gone", Set.of(0))),
                member("b", Set.of("t", "u"), Map.of("t", Set.of(1)))));

        GroupAssignment result = assignor.assign(group, topics("t", 2, "u", 1));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0))), result.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("t", Set.of(1), "u", Set.of(0))), result.members().get("b"));
    }

    @Test
    void testMixedSubscriptionsAreBalancedWhereRoundRobinIsNot() {
        // a can only take x; b takes either. Round robin gives a one partition and b three.
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("x")), member("b", Set.of("x", "y"))));

        GroupAssignment result = assignor.assign(group, topics("x", 2, "y", 2));

        assertEquals(new MemberAssignment(Map.of("x", Set.of(0, 1))), result.members().get("a"));
        assertEquals(new MemberAssignment(Map.of("y", Set.of(0, 1))), result.members().get("b"));
    }

    @Test
    void testMixedSubscriptionsBalanceThroughAChainOfMoves() {
        // Loads 4, 3, 2. No single move helps (a cannot take y, c cannot take x, neighbours differ by
        // one), but x: a -> b together with y: b -> c gives 3, 3, 3 with two moves, the fewest possible.
        Map<String, Set<Integer>> aHolds = Map.of("x", Set.of(0, 1, 2, 3));
        Map<String, Set<Integer>> bHolds = Map.of("y", Set.of(0, 1, 2));
        Map<String, Set<Integer>> cHolds = Map.of("y", Set.of(3, 4));
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("x"), aHolds), member("b", Set.of("x", "y"), bHolds),
                member("c", Set.of("y"), cHolds)));
        TopicMetadata topics = topics("x", 4, "y", 5);

        GroupAssignment result = assignor.assign(group, topics);

        assertValidAndComplete(group, topics, result, "chain");
        assertEquals(new IntSummary(3, 3), IntSummary.of(result));
        assertEquals(2, Assignments.moved(Assignments.currentOwners(group), Assignments.owners(result.members())));
        assertTrue(aHolds.get("x").containsAll(result.members().get("a").partitionsByTopic().get("x")));
        assertTrue(result.members().get("c").partitionsByTopic().get("y").containsAll(cHolds.get("y")));
    }

    @Test
    void testAMemberWithoutAssignableTopicsGetsNothingAndAnEmptyGroupGetsAnEmptyAssignment() {
        GroupSpec group = new GroupSpec(List.of(member("a", Set.of("t")), member("b", Set.of("missing"))));

        GroupAssignment result = assignor.assign(group, topics("t", 3));

        assertEquals(new MemberAssignment(Map.of("t", Set.of(0, 1, 2))), result.members().get("a"));
        assertEquals(MemberAssignment.EMPTY, result.members().get("b"));
        assertEquals(Map.of(), assignor.assign(new GroupSpec(List.of()), topics("t", 3)).members());
        assertEquals(Map.of("a", MemberAssignment.EMPTY),
                assignor.assign(new GroupSpec(List.of(member("a", Set.of("t")))), topics("t", 0)).members());
    }
}
