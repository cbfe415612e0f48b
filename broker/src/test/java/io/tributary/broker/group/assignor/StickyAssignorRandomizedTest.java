package io.tributary.broker.group.assignor;

import static io.tributary.broker.group.assignor.Assignments.assertValidAndComplete;
import static io.tributary.broker.group.assignor.Assignments.currentOwners;
import static io.tributary.broker.group.assignor.Assignments.load;
import static io.tributary.broker.group.assignor.Assignments.moved;
import static io.tributary.broker.group.assignor.Assignments.owners;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tributary.common.TopicPartition;
import io.tributary.storage.testing.Seeds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@link StickyAssignor} on seeded random groups (1 to 20 members, 1 to 10 topics of 0 to 50 partitions,
 * random subscriptions and current assignments), each followed by a random membership or subscription
 * change. Replay a failure with {@code -Dtest=StickyAssignorRandomizedTest -Dtributary.seed=<seed>}.
 *
 * <p>What is checked, and against what:
 * <ul>
 *   <li>Identical subscriptions: loads within one, and the number of moved partitions equals the closed-form
 *       minimum of {@link #fewestMovesWithIdenticalSubscriptions}.</li>
 *   <li>Mixed subscriptions: no cost-reducing path, which makes the loads an optimal semi-matching (the most
 *       balanced the subscriptions allow); members with identical subscriptions within one.</li>
 *   <li>Small groups of either kind: balance and number of moves both equal to the optimum found by trying
 *       every possible assignment.</li>
 * </ul>
 */
@Tag("unit")
class StickyAssignorRandomizedTest {

    private static final int FULL_SIZE_GROUPS = 200;
    private static final int SMALL_GROUPS = 1000;

    private final StickyAssignor assignor = new StickyAssignor();
    private long seed;
    private RandomGroups random;

    @BeforeEach
    void seed(TestInfo test) {
        seed = Seeds.seed("StickyAssignorRandomizedTest." + test.getTestMethod().orElseThrow().getName());
        random = new RandomGroups(seed);
    }

    @Test
    void testIdenticalSubscriptionsAreBalancedAndMoveTheFewestPartitions() {
        for (int iteration = 0; iteration < FULL_SIZE_GROUPS; iteration++) {
            String context = "seed=" + seed + " iteration=" + iteration;
            TopicMetadata topics = random.topics(10, 50);
            Set<String> subscription = random.subscription(topics);
            GroupSpec before = random.withRandomCurrentAssignments(
                    random.members(random.random().nextInt(1, 21), () -> subscription), topics);

            GroupAssignment rebalanced = assignor.assign(before, topics);

            checkIdenticalSubscriptions(before, topics, currentOwners(before), rebalanced, context + " first");
            GroupSpec after = change(RandomGroups.withCurrentAssignments(before.members(), rebalanced), () -> subscription, false);
            checkIdenticalSubscriptions(after, topics, owners(rebalanced.members()), assignor.assign(after, topics),
                    context + " after " + describeChange(before, after));
        }
    }

    @Test
    void testTheMinimumCostSolverMatchesTheQuotaAlgorithmOnIdenticalSubscriptions() {
        for (int iteration = 0; iteration < FULL_SIZE_GROUPS; iteration++) {
            String context = "seed=" + seed + " iteration=" + iteration;
            TopicMetadata topics = random.topics(10, 50);
            Set<String> subscription = random.subscription(topics);
            GroupSpec group = random.withRandomCurrentAssignments(
                    random.members(random.random().nextInt(1, 21), () -> subscription), topics);
            StickyProblem problem = StickyProblem.of(group, topics);
            if (problem.partitionCount() == 0) {
                continue;
            }

            GroupAssignment quota = assignor.assign(group, topics);
            GroupAssignment minimumCost = problem.toAssignment(MixedSubscriptionsBalancer.balance(problem));

            assertValidAndComplete(group, topics, minimumCost, context);
            assertEquals(sumOfSquaredLoads(quota), sumOfSquaredLoads(minimumCost), context + ": balance");
            assertEquals(moved(currentOwners(group), owners(quota.members())),
                    moved(currentOwners(group), owners(minimumCost.members())), context + ": moves");
        }
    }

    @Test
    void testMixedSubscriptionsAreAsBalancedAsTheSubscriptionsAllow() {
        for (int iteration = 0; iteration < FULL_SIZE_GROUPS; iteration++) {
            String context = "seed=" + seed + " iteration=" + iteration;
            TopicMetadata topics = random.topics(10, 50);
            GroupSpec before = random.withRandomCurrentAssignments(
                    random.members(random.random().nextInt(1, 21), () -> random.subscription(topics)), topics);

            GroupAssignment rebalanced = assignor.assign(before, topics);

            checkMixedSubscriptions(before, topics, rebalanced, context + " first");
            GroupSpec after = change(RandomGroups.withCurrentAssignments(before.members(), rebalanced),
                    () -> random.subscription(topics), true);
            checkMixedSubscriptions(after, topics, assignor.assign(after, topics), context + " after " + describeChange(before, after));
        }
    }

    @Test
    void testSmallGroupsMatchTheBestOfEveryPossibleAssignment() {
        for (int iteration = 0; iteration < SMALL_GROUPS; iteration++) {
            String context = "seed=" + seed + " iteration=" + iteration;
            TopicMetadata topics = random.topics(3, 3);
            boolean identical = random.random().nextBoolean();
            Set<String> shared = random.subscription(topics);
            Supplier<Set<String>> subscriptions = () -> identical ? shared : random.subscription(topics);
            GroupSpec before = random.withRandomCurrentAssignments(random.members(random.random().nextInt(1, 5), subscriptions), topics);
            GroupSpec after = change(before, subscriptions, !identical);
            Map<TopicPartition, String> previousOwners = currentOwners(before);

            GroupAssignment result = assignor.assign(after, topics);

            assertValidAndComplete(after, topics, result, context);
            long[] best = ExhaustiveSearch.best(after, topics, previousOwners);
            assertEquals(best[0], sumOfSquaredLoads(result), context + ": balance of " + result);
            assertEquals(best[1], moved(previousOwners, owners(result.members())), context + ": moves in " + result);
        }
    }

    private void checkIdenticalSubscriptions(GroupSpec group, TopicMetadata topics, Map<TopicPartition, String> previousOwners,
                                             GroupAssignment result, String context) {
        assertValidAndComplete(group, topics, result, context);
        IntSummary loads = IntSummary.of(result);
        assertTrue(loads.max() - loads.min() <= 1, context + ": unbalanced " + loads);
        assertEquals(fewestMovesWithIdenticalSubscriptions(group, topics, previousOwners), moved(previousOwners, owners(result.members())),
                context + ": moved partitions");
    }

    private void checkMixedSubscriptions(GroupSpec group, TopicMetadata topics, GroupAssignment result, String context) {
        assertValidAndComplete(group, topics, result, context);
        assertNoCostReducingPath(group, topics, result, context);
        Map<Set<String>, List<Integer>> loadsBySubscription = new HashMap<>();
        for (MemberSpec member : group.members()) {
            loadsBySubscription.computeIfAbsent(member.subscribedTopics(), s -> new ArrayList<>())
                    .add(load(result.members().get(member.memberId())));
        }
        loadsBySubscription.forEach((subscription, loads) -> assertTrue(Collections.max(loads) - Collections.min(loads) <= 1,
                context + ": members subscribed to " + subscription + " have loads " + loads));
        List<MemberSpec> shuffled = new ArrayList<>(group.members());
        Collections.shuffle(shuffled, new Random(seed));
        assertEquals(result, assignor.assign(new GroupSpec(shuffled), topics), context + ": depends on the member order");
    }

    /**
     * The fewest partitions any balanced assignment must move when all members subscribe alike.
     * Balanced means {@code P % N} members own {@code q + 1 = P / N + 1} partitions and the rest
     * {@code q}. A member that held {@code c} partitions can keep at most {@code min(c, q)} of them, plus
     * one more if it is among those owning {@code q + 1}, which helps only members with {@code c > q}, so
     * at most {@code sum(min(c, q)) + min(P % N, |{c > q}|)} partitions stay. Every other partition that
     * had an owner moves, including all those of members that left. (Keeping exactly that many is
     * possible, so this is the minimum, not just a bound.)
     */
    private static int fewestMovesWithIdenticalSubscriptions(GroupSpec group, TopicMetadata topics,
                                                             Map<TopicPartition, String> previousOwners) {
        Set<String> subscription = group.members().get(0).subscribedTopics();
        int partitions = subscription.stream().mapToInt(topics::partitionCount).sum();
        if (partitions == 0) {
            return 0;
        }
        int quota = partitions / group.members().size();
        int extraSlots = partitions % group.members().size();
        Map<String, Integer> held = new HashMap<>();
        int hadOwner = 0;
        for (Map.Entry<TopicPartition, String> entry : previousOwners.entrySet()) {
            TopicPartition partition = entry.getKey();
            if (subscription.contains(partition.topic()) && partition.partition() < topics.partitionCount(partition.topic())) {
                hadOwner++;
                held.merge(entry.getValue(), 1, Integer::sum);
            }
        }
        int mostKept = 0;
        int overQuota = 0;
        for (MemberSpec member : group.members()) {
            int count = held.getOrDefault(member.memberId(), 0);
            mostKept += Math.min(count, quota);
            overQuota += count > quota ? 1 : 0;
        }
        return hadOwner - mostKept - Math.min(extraSlots, overQuota);
    }

    /**
     * Fails if loads could be evened by a chain of moves: member {@code x} gives a partition to
     * {@code y1} (subscribed to its topic), {@code y1} one to {@code y2}, ..., ending at a member owning
     * at least two fewer than {@code x}. Without such a path the assignment is an optimal semi-matching
     * (Harvey, Ladner, Lovász and Tamir 2006): it minimises the sum of squared loads and the largest load.
     */
    private static void assertNoCostReducingPath(GroupSpec group, TopicMetadata topics, GroupAssignment result, String context) {
        Map<String, MemberSpec> byId = new HashMap<>();
        group.members().forEach(member -> byId.put(member.memberId(), member));
        for (MemberSpec start : group.members()) {
            int startLoad = load(result.members().get(start.memberId()));
            Set<String> reached = new HashSet<>(Set.of(start.memberId()));
            Deque<String> queue = new ArrayDeque<>(List.of(start.memberId()));
            while (!queue.isEmpty()) {
                String from = queue.poll();
                for (String topic : result.members().get(from).partitionsByTopic().keySet()) {
                    for (MemberSpec to : group.members()) {
                        if (to.subscribedTopics().contains(topic) && reached.add(to.memberId())) {
                            if (load(result.members().get(to.memberId())) <= startLoad - 2) {
                                fail(context + ": load can move from " + start.memberId() + " (" + startLoad + ") to "
                                        + to.memberId() + " in " + result);
                            }
                            queue.add(to.memberId());
                        }
                    }
                }
            }
        }
    }

    /**
     * The group after one random change: a member joins, a member leaves (never the last), or, when
     * {@code changeSubscriptions}, a member subscribes to a new random set of topics.
     */
    private GroupSpec change(GroupSpec group, Supplier<Set<String>> subscriptions, boolean changeSubscriptions) {
        List<MemberSpec> members = new ArrayList<>(group.members());
        int which = random.random().nextInt(members.size());
        int kind = random.random().nextInt(changeSubscriptions ? 3 : 2);
        if (kind == 1 && members.size() > 1) {
            members.remove(which);
        } else if (kind == 2) {
            members.set(which, RandomGroups.withSubscription(members.get(which), subscriptions.get()));
        } else {
            members.add(random.newMember(subscriptions.get()));
        }
        return new GroupSpec(members);
    }

    private static String describeChange(GroupSpec before, GroupSpec after) {
        return before.members().size() + " -> " + after.members().size() + " members";
    }

    private static long sumOfSquaredLoads(GroupAssignment assignment) {
        long sum = 0;
        for (MemberAssignment member : assignment.members().values()) {
            sum += (long) load(member) * load(member);
        }
        return sum;
    }
}
