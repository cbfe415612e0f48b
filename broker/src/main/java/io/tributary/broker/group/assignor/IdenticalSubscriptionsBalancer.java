package io.tributary.broker.group.assignor;

import java.util.Arrays;

/**
 * The sticky assignment when every member subscribes to every assignable topic, in O(members +
 * partitions). With {@code P} partitions and {@code N} members, a balanced assignment gives every member
 * the quota {@code q = P / N} and {@code P % N} of them one extra partition. The extra slots go first to
 * members that hold more than {@code q} now (in assignment order), then to the others in order. Each
 * member keeps as many of the partitions it holds as its target allows, and the partitions left over are
 * dealt, in order, to the members still below their targets.
 *
 * <p>This keeps the most partitions any balanced assignment can keep: a member holding {@code c}
 * partitions keeps at most {@code min(c, q)}, plus one if it has an extra slot, which only helps members
 * with {@code c > q}; so at most {@code sum(min(c, q)) + min(P % N, |{c > q}|)} partitions stay, which is
 * what the targets allow.
 */
final class IdenticalSubscriptionsBalancer {

    private IdenticalSubscriptionsBalancer() {
    }

    /** The owner of each partition; requires {@code problem.identicalSubscriptions()} and at least one member. */
    static int[] balance(StickyProblem problem) {
        int[] target = targets(problem);
        int[] owner = new int[problem.partitionCount()];
        int[] load = new int[problem.memberCount()];
        for (int partition = 0; partition < owner.length; partition++) {
            int keeper = problem.keeper(partition);
            if (keeper != StickyProblem.NONE && load[keeper] < target[keeper]) {
                owner[partition] = keeper;
                load[keeper]++;
            } else {
                owner[partition] = StickyProblem.NONE;
            }
        }
        // The targets sum to the partition count, so the partitions without an owner exactly fill the gaps.
        int member = 0;
        for (int partition = 0; partition < owner.length; partition++) {
            if (owner[partition] == StickyProblem.NONE) {
                while (load[member] == target[member]) {
                    member++;
                }
                owner[partition] = member;
                load[member]++;
            }
        }
        return owner;
    }

    private static int[] targets(StickyProblem problem) {
        int members = problem.memberCount();
        int quota = problem.partitionCount() / members;
        int extraSlots = problem.partitionCount() % members;
        int[] held = new int[members];
        for (int partition = 0; partition < problem.partitionCount(); partition++) {
            if (problem.keeper(partition) != StickyProblem.NONE) {
                held[problem.keeper(partition)]++;
            }
        }
        int[] target = new int[members];
        Arrays.fill(target, quota);
        for (int member = 0; member < members && extraSlots > 0; member++) {
            if (held[member] > quota) {
                target[member]++;
                extraSlots--;
            }
        }
        for (int member = 0; member < members && extraSlots > 0; member++) {
            if (target[member] == quota) {
                target[member]++;
                extraSlots--;
            }
        }
        return target;
    }
}
