package io.tributary.quorum.raft;

import java.util.List;

/**
 * The state of the quorum as its leader sees it (DescribeQuorum): who leads which epoch, the commit
 * point, and how far each voter and observer has replicated and when it last fetched.
 *
 * @param leaderId      the leader, or -1 when the describing node does not lead (then the rest is empty)
 * @param epoch         the leader's epoch
 * @param highWatermark the commit point
 * @param voters        voters' progress, the leader included
 * @param observers     observers heard from in this epoch within the last 5 minutes (Kafka forgets silent ones)
 */
public record QuorumInfo(int leaderId, int epoch, long highWatermark, List<ReplicaState> voters,
                         List<ReplicaState> observers) {

    public QuorumInfo {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
    }

    /**
     * One replica's progress. Times are on the leader's clock: the core's monotonic clock, which
     * {@code MetadataQuorum} turns into wall-clock time for DescribeQuorum answers.
     *
     * @param nodeId      the node
     * @param endOffset   the end of its durable log as last reported (-1 before its first fetch)
     * @param lastFetchMs     when it last fetched (the leader's clock), or the election time before that
     * @param lastCaughtUpMs  when it last had everything the leader had (the leader's clock), -1 when
     *                        not in this epoch; see {@code LeaderState#recordFetch}
     */
    public record ReplicaState(int nodeId, long endOffset, long lastFetchMs, long lastCaughtUpMs) {
    }
}
