package io.tributary.broker.partition;

import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.storage.Log;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Partition}'s ISR as the replica last learnt it and, while it leads, the leader's ISR
 * bookkeeping: follower tracking, ISR changes proposed to the controller and their outcomes, and
 * the high and low watermarks computed from them.
 *
 * <p>Thread-safety: the partition's role (leader, leader epoch) stays in the {@link Partition},
 * which changes it under its append lock and then {@code stateLock}, the lock passed in here. The
 * tracker and the leader epoch's start offset are guarded by that same {@code stateLock}; the ISR
 * is written under it and read anywhere. Listeners are called outside it.
 */
final class IsrState {

    /** The partition's logger: ISR proposals are logged as the partition's, as they always were. */
    private static final Logger logger = LoggerFactory.getLogger(Partition.class);

    private final Partition partition;
    private final Object stateLock;
    private final Log log;
    private final int localId;
    private final boolean flushOnCommit;
    private final PartitionListener listener;
    private volatile List<Integer> isr = List.of();
    private volatile long leaderEpochStartOffset;
    private FollowerTracker tracker;

    /** @param stateLock the partition's state lock, which guards this state */
    IsrState(Partition partition, Object stateLock, Log log, int localId, boolean flushOnCommit,
             PartitionListener listener) {
        this.partition = partition;
        this.stateLock = stateLock;
        this.log = log;
        this.localId = localId;
        this.flushOnCommit = flushOnCommit;
        this.listener = listener;
    }

    /**
     * A new leadership starting at {@code epochStartOffset}: every other replica is tracked from
     * now. Call under the state lock, before the partition publishes its new role.
     */
    void startLeading(long epochStartOffset, List<Integer> replicas, List<Integer> newIsr, int partitionEpoch,
                      long nowMs) {
        leaderEpochStartOffset = epochStartOffset;
        tracker = new FollowerTracker(localId, replicas, newIsr, partitionEpoch, nowMs);
        isr = List.copyOf(newIsr);
    }

    /** This replica follows (or was deposed): nothing is tracked. Call under the state lock. */
    void stopLeading() {
        tracker = null;
    }

    /** The committed ISR as the controller last sent it to a follower. Call under the state lock. */
    void followerIsr(List<Integer> newIsr) {
        isr = List.copyOf(newIsr);
    }

    /** The committed ISR as this replica last learnt it. */
    List<Integer> isr() {
        return isr;
    }

    /** {@link Partition#recordFollowerFetch}. */
    Optional<IsrChange> recordFollowerFetch(int replicaId, long fetchOffset, long durableOffset,
                                            long logStartOffset, boolean replicaEligible, long nowMs) {
        Optional<List<Integer>> expansion;
        boolean lowWatermarkRaised;
        synchronized (stateLock) {
            if (!partition.isLeader()) {
                throw partition.notLeader();
            }
            long leaderLogStartOffset = log.logStartOffset();
            if (!tracker.recordFetch(replicaId, fetchOffset, durableOffset, log.logEndOffset(), nowMs)) {
                throw new NotLeaderOrFollowerException("node " + replicaId + " is not a replica of partition "
                        + partition.topicPartition());
            }
            lowWatermarkRaised = false;
            if (tracker.isNewLogStartOffset(replicaId, logStartOffset)) { // rare: only after a deletion
                long lowBefore = tracker.lowWatermark(leaderLogStartOffset);
                tracker.recordLogStartOffset(replicaId, logStartOffset);
                lowWatermarkRaised = tracker.lowWatermark(leaderLogStartOffset) > lowBefore;
            }
            expansion = replicaEligible ? tracker.expansion(replicaId, log.highWatermark(), leaderEpochStartOffset,
                    leaderLogStartOffset, flushOnCommit) : Optional.empty();
            expansion.ifPresent(tracker::propose);
        }
        maybeIncrementHighWatermark();
        if (lowWatermarkRaised) {
            listener.onHighWatermarkAdvanced(partition);
        }
        return expansion.map(newIsr -> isrChange(newIsr, "replica " + replicaId + " caught up at offset "
                + fetchOffset));
    }

    /** {@link Partition#lowWatermark}. */
    long lowWatermark() {
        synchronized (stateLock) {
            if (!partition.isLeader()) {
                throw partition.notLeader();
            }
            return tracker.lowWatermark(log.logStartOffset());
        }
    }

    /** {@link Partition#maybeShrinkIsr}. */
    Optional<IsrChange> maybeShrinkIsr(long nowMs, long lagTimeMaxMs) {
        synchronized (stateLock) {
            if (!partition.isLeader()) {
                return Optional.empty();
            }
            Optional<List<Integer>> shrunk = tracker.shrink(nowMs, lagTimeMaxMs);
            if (shrunk.isEmpty()) {
                return Optional.empty();
            }
            List<Integer> removedMembers = isr.stream().filter(r -> !shrunk.get().contains(r)).toList();
            tracker.propose(shrunk.get());
            return Optional.of(isrChange(shrunk.get(), "lagging: " + tracker.lagDescription(removedMembers, nowMs)));
        }
    }

    private IsrChange isrChange(List<Integer> newIsr, String why) {
        logger.info("Partition {}: proposing ISR {} (was {}, partition epoch {}): {}", partition.topicPartition(),
                newIsr, isr, tracker.partitionEpoch(), why);
        return IsrChange.newBuilder().setTopicId(partition.topicId())
                .setPartition(partition.topicPartition().partition()).setLeaderEpoch(partition.leaderEpoch())
                .setPartitionEpoch(tracker.partitionEpoch()).addAllNewIsr(newIsr).build();
    }

    /** {@link Partition#onIsrChangeCommitted}. */
    void onIsrChangeCommitted(int answeredLeaderEpoch, List<Integer> committedIsr, int committedPartitionEpoch,
                              long nowMs) {
        List<Integer> previousIsr;
        synchronized (stateLock) {
            if (!partition.isLeader() || partition.leaderEpoch() != answeredLeaderEpoch) {
                return;
            }
            previousIsr = isr;
            applyCommittedState(tracker.replicas(), committedIsr, committedPartitionEpoch, nowMs);
        }
        reportIsrChange(previousIsr);
        maybeIncrementHighWatermark();
        membershipChanged();
    }

    /** {@link Partition#onIsrChangeRefused}. */
    void onIsrChangeRefused(IsrChange change) {
        synchronized (stateLock) {
            if (partition.isLeader() && isPending(change)) {
                tracker.clearProposal();
            }
        }
        maybeIncrementHighWatermark();
        membershipChanged();
    }

    /**
     * The tracked members (committed ISR, proposal, replicas) may have changed, which can raise the
     * low watermark without any follower fetching: waiters (a DeleteRecords waiting for the ISR) are
     * woken to look again. Call outside the locks after every such change.
     */
    void membershipChanged() {
        listener.onHighWatermarkAdvanced(partition);
    }

    /** {@link Partition#isPending}. */
    boolean isPending(IsrChange change) {
        synchronized (stateLock) {
            return partition.isLeader() && partition.leaderEpoch() == change.getLeaderEpoch()
                    && tracker.partitionEpoch() == change.getPartitionEpoch()
                    && tracker.proposal().map(p -> p.equals(change.getNewIsrList())).orElse(false);
        }
    }

    /** Tells the listener (outside the state lock) when the ISR is no longer {@code previousIsr}. */
    void reportIsrChange(List<Integer> previousIsr) {
        List<Integer> current = isr;
        if (current != previousIsr && !current.equals(previousIsr)) {
            listener.onIsrChanged(partition, previousIsr, current);
        }
    }

    /** The controller's committed state, if newer than the tracker's. Call under the state lock. */
    void applyCommittedState(List<Integer> replicas, List<Integer> newIsr, int partitionEpoch, long nowMs) {
        if (tracker.applyCommitted(replicas, newIsr, partitionEpoch, nowMs)) {
            isr = List.copyOf(newIsr);
        }
    }

    /**
     * Computes and sets the leader's high watermark under the state lock, so an ISR expansion (also
     * decided under it, against the high watermark) can never be overtaken by a high watermark
     * computed without the new member.
     */
    void maybeIncrementHighWatermark() {
        boolean advanced;
        synchronized (stateLock) {
            if (!partition.isLeader()) {
                return;
            }
            long local = flushOnCommit ? log.recoveryPoint() : log.logEndOffset();
            advanced = partition.raiseHighWatermark(tracker.highWatermarkCandidate(local, flushOnCommit));
        }
        if (advanced) {
            listener.onHighWatermarkAdvanced(partition);
        }
    }
}
