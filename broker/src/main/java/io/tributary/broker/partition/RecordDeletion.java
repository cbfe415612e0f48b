package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.PolicyViolationException;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.Log;
import java.util.Collection;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Partition}'s log start offset moving up: as leader by DeleteRecords, as follower to the
 * leader's; the segments wholly below it are deleted, and a follower's is made durable before it is
 * reported to the leader.
 *
 * <p>Thread-safety: the leader's move takes the partition's append lock (passed in here), as the
 * partition's appends and role changes do; the rest needs no lock of its own. A storage failure
 * takes the partition offline.
 */
final class RecordDeletion {

    private final Partition partition;
    private final ReentrantLock appendLock;
    private final Log log;
    private final PartitionListener listener;

    /** @param appendLock the partition's append lock */
    RecordDeletion(Partition partition, ReentrantLock appendLock, Log log, PartitionListener listener) {
        this.partition = partition;
        this.appendLock = appendLock;
        this.log = log;
        this.listener = listener;
    }

    /** {@link Partition#deleteRecordsAsLeader}. */
    long deleteRecordsAsLeader(long offset) {
        partition.ensureHealthy();
        if (!log.config().deleteRetention()) {
            throw new PolicyViolationException("records of partition " + partition.topicPartition()
                    + " cannot be deleted: its cleanup.policy is compact without delete");
        }
        long target;
        appendLock.lock();
        try {
            if (!partition.isLeader()) {
                throw partition.notLeader();
            }
            long hw = log.highWatermark();
            if (offset < -1 || offset > hw) {
                throw new OffsetOutOfRangeException("cannot delete the records of partition "
                        + partition.topicPartition() + " below offset " + offset + ": " + (offset < 0
                        ? "it is negative (only -1, the high watermark, is allowed)"
                        : "it is above the high watermark " + hw));
            }
            target = offset == -1 ? hw : offset;
            log.maybeIncrementLogStartOffset(target);
        } catch (StorageException e) {
            partition.markFailed(e);
            throw e;
        } finally {
            appendLock.unlock();
        }
        listener.onHighWatermarkAdvanced(partition);
        deleteSegmentsBelowLogStart();
        return target;
    }

    /**
     * A follower takes the leader's log start offset, capped at its high watermark, and deletes the
     * segments wholly below a new one before this returns.
     */
    void followLeaderLogStartOffset(long leaderLogStartOffset) {
        long logStartOffset = log.logStartOffset();
        if (leaderLogStartOffset > logStartOffset) {
            try {
                log.maybeIncrementLogStartOffset(Math.min(leaderLogStartOffset, log.highWatermark()));
            } catch (StorageException e) {
                partition.markFailed(e);
                throw e;
            }
            if (log.logStartOffset() > logStartOffset) {
                deleteSegmentsBelowLogStart();
            }
        }
    }

    /** {@link Partition#persistLogStartOffsets}. */
    void persistLogStartOffsets(Collection<TopicPartition> moved) {
        listener.onLogStartOffsetIncremented(moved);
    }

    /** {@link Partition#checkLogOnline}. */
    void checkLogOnline() {
        if (!log.isOnline()) {
            StorageException e = new StorageException("the log directory of " + partition.topicPartition()
                    + " is offline");
            partition.markFailed(e);
            throw e;
        }
    }

    /**
     * Deletes the segments wholly below a log start offset that just moved now, rather than at the
     * next retention check (the rest of retention runs too: it is the same pass).
     */
    private void deleteSegmentsBelowLogStart() {
        try {
            log.deleteOldSegments();
        } catch (StorageException e) {
            partition.markFailed(e);
            throw e;
        }
    }
}
