package io.tributary.broker.group.assignor;

/**
 * A balanced assignor that keeps partitions where they are (the goal of Kafka's cooperative-sticky and
 * KIP-848 {@code uniform} assignors), the default because with incremental rebalancing every moved
 * partition costs a revoke, a commit and a restart of consumption.
 *
 * <p>Guarantees, for any input:
 * <ul>
 *   <li>Every partition of an existing topic that some member subscribes to is assigned, to a subscriber.</li>
 *   <li>Balance: the sum of squared member loads is the least the subscriptions allow. In particular,
 *       members with identical subscriptions own numbers of partitions within one of each other, and when
 *       all members subscribe alike every member owns {@code P / N} or {@code P / N + 1} partitions.</li>
 *   <li>Stickiness: among all such balanced assignments, the result keeps the most partitions with the
 *       member that holds them now (and still subscribes to their topic). So a membership or subscription
 *       change moves only the partitions it must.</li>
 * </ul>
 * Identical subscriptions take a linear quota algorithm ({@link IdenticalSubscriptionsBalancer}), mixed
 * ones a minimum-cost flow ({@link MixedSubscriptionsBalancer}). Ties between equally good answers
 * are broken deterministically, so the result depends only on the members and topics, not on the order
 * the members were listed in.
 */
public final class StickyAssignor implements PartitionAssignor {

    public static final String NAME = "sticky";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GroupAssignment assign(GroupSpec group, TopicMetadata topics) {
        StickyProblem problem = StickyProblem.of(group, topics);
        if (problem.partitionCount() == 0) {
            return problem.toAssignment(new int[0]);
        }
        int[] owner = problem.identicalSubscriptions()
                ? IdenticalSubscriptionsBalancer.balance(problem)
                : MixedSubscriptionsBalancer.balance(problem);
        return problem.toAssignment(owner);
    }
}
