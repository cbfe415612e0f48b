package io.tributary.broker.group;

import io.tributary.broker.partition.DelayedOperation;
import io.tributary.broker.partition.Partition;

/**
 * A coordinator answer waiting until the partition's high watermark covers what the shard wrote
 * (its own records, or for a read, everything written before it), while the partition is still led
 * here at the epoch of the write.
 */
final class DelayedCoordinatorWrite extends DelayedOperation {

    /** How the wait ended. */
    enum Outcome { COMMITTED, DEPOSED, TIMED_OUT }

    /** Receives the outcome exactly once, on whichever thread completed the wait. */
    interface Completion {
        void complete(Outcome outcome);
    }

    private final Partition partition;
    private final long requiredOffset;
    private final int leaderEpoch;
    private final Completion completion;

    DelayedCoordinatorWrite(Partition partition, long requiredOffset, int leaderEpoch, Completion completion) {
        this.partition = partition;
        this.requiredOffset = requiredOffset;
        this.leaderEpoch = leaderEpoch;
        this.completion = completion;
    }

    /** The high watermark is read before the role, as for an acks=all produce. */
    @Override
    protected boolean isSatisfied() {
        boolean reached = partition.highWatermark() >= requiredOffset;
        return reached || !partition.isLeaderAt(leaderEpoch) || partition.isOffline() || partition.isRemoved();
    }

    @Override
    protected void onComplete(boolean expired) {
        boolean reached = partition.highWatermark() >= requiredOffset;
        if (reached && partition.isLeaderAt(leaderEpoch)) {
            completion.complete(Outcome.COMMITTED);
        } else if (!partition.isLeaderAt(leaderEpoch) || partition.isOffline() || partition.isRemoved()) {
            completion.complete(Outcome.DEPOSED);
        } else {
            completion.complete(expired ? Outcome.TIMED_OUT : Outcome.DEPOSED);
        }
    }
}
