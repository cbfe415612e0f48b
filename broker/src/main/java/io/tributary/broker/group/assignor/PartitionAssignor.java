package io.tributary.broker.group.assignor;

/**
 * A server-side partition assignor (KIP-848's model): the group coordinator passes the group's members,
 * with their subscriptions and current assignments, and the partition counts of the topics; the assignor
 * returns the target assignment of every member. The coordinator then moves members toward that target
 * incrementally (revoking before reassigning), so an assignor only decides <em>where</em> partitions go.
 *
 * <p>Contract for implementations, built-in or custom:
 * <ul>
 *   <li>{@link #assign} is a pure function of its arguments: no I/O, no clock, no randomness, no state
 *       kept between calls; equal arguments give equal results. It may be called from any thread, and
 *       from several at once.</li>
 *   <li>The result has an entry for every member of the group (possibly empty) and no other.</li>
 *   <li>A partition is given to at most one member, only to a member subscribed to its topic, and only
 *       if it exists in the topic metadata (partition number below the topic's count).</li>
 * </ul>
 * The built-in assignors also give out every partition of every existing topic that some member
 * subscribes to.
 */
public interface PartitionAssignor {

    /** The name groups select the assignor by; non-blank and unique in an {@link AssignorRegistry}. */
    String name();

    /**
     * The target assignment of {@code group}'s members over {@code topics}.
     *
     * @param group the members, their subscriptions and current assignments
     * @param topics the partition count of each topic that may be assigned
     */
    GroupAssignment assign(GroupSpec group, TopicMetadata topics);
}
