package io.tributary.quorum.raft;

import java.util.List;

/**
 * An immutable picture of one node's Raft state, for metrics: taken by the thread that owns the
 * core and read by any other without blocking it.
 *
 * @param nodeId            this node
 * @param epoch             the epoch this node knows
 * @param leaderId          the leader this node knows of, or -1
 * @param highWatermark     offsets below it are committed, as far as this node knows
 * @param logEndOffset      the end of this node's metadata log (flushed or not)
 * @param electionsStarted  elections this node started as a candidate since it started: each
 *                          pre-vote round it won and followed with a real vote request in a new
 *                          epoch (pre-vote rounds that lost are not counted)
 * @param voters            on the leader, each voter's progress (the leader included); empty elsewhere
 * @param observers         on the leader, each observer heard from in this epoch within the last 5 minutes;
 *                          empty elsewhere
 */
public record RaftStatus(int nodeId, int epoch, int leaderId, long highWatermark, long logEndOffset,
                         long electionsStarted, List<ReplicaProgress> voters, List<ReplicaProgress> observers) {

    public RaftStatus {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
    }

    /**
     * One replica's progress as the leader saw it when the status was taken.
     *
     * @param nodeId     the replica
     * @param endOffset  the end of its durable log as it last reported it (-1 before its first fetch)
     * @param lagOffsets the leader's log end minus {@code endOffset} (the whole log before a first fetch)
     * @param fetchAgeMs how long before the status was taken it last fetched (for the leader itself, 0)
     */
    public record ReplicaProgress(int nodeId, long endOffset, long lagOffsets, long fetchAgeMs) {
    }

    /** The status of node {@code nodeId} whose view of the quorum is {@code quorum}, at {@code nowMs}. */
    static RaftStatus of(int nodeId, QuorumInfo quorum, long logEndOffset, long electionsStarted, long nowMs) {
        return new RaftStatus(nodeId, quorum.epoch(), quorum.leaderId(), quorum.highWatermark(), logEndOffset,
                electionsStarted, progress(quorum.voters(), logEndOffset, nowMs),
                progress(quorum.observers(), logEndOffset, nowMs));
    }

    private static List<ReplicaProgress> progress(List<QuorumInfo.ReplicaState> replicas, long logEndOffset,
                                                  long nowMs) {
        return replicas.stream().map(r -> new ReplicaProgress(r.nodeId(), r.endOffset(),
                logEndOffset - Math.max(0, r.endOffset()), Math.max(0, nowMs - r.lastFetchMs()))).toList();
    }

    /** Whether this node led when the status was taken. */
    public boolean isLeader() {
        return leaderId == nodeId;
    }

    /** The same status without leadership or replica progress: the node stopped taking part. */
    public RaftStatus stopped() {
        return new RaftStatus(nodeId, epoch, -1, highWatermark, logEndOffset, electionsStarted, List.of(), List.of());
    }
}
