package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.PolicyViolationException;
import io.tributary.common.errors.StorageException;
import io.tributary.common.record.LogValidator;
import io.tributary.common.record.TimestampType;
import io.tributary.common.record.ValidationConfig;
import io.tributary.common.record.ValidationResult;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.storage.FetchDataInfo;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local replica of one partition: its log, and its role as the controller last assigned it —
 * leader (validates and appends produced batches, tracks followers, owns the high watermark) or
 * follower (appends the leader's batches as they are, truncates where its log diverged, takes the
 * leader's high watermark).
 *
 * <p>High watermark (leader): the minimum over the ISR of each member's log end offset, or, with
 * {@code log.flush.on.commit=true}, of each member's fsynced offset — so consumers never see a
 * record an fsync on some ISR member could still lose, and acks=all completes only for data durable
 * on every ISR member. It never moves down. A follower's is min(leader's, own log end offset).
 *
 * <p>Thread-safety: appends, truncations and role changes are serialised by the append lock (a
 * role change waits for an append in progress, and an append checks the role it runs under);
 * follower tracking and ISR state are guarded by the state lock, taken after the append lock when
 * both are needed. Reads and getters run concurrently on any thread. The ISR and the leader's
 * follower tracking live in an {@link IsrState}, guarded by this state lock; the moving log start
 * offset in a {@link RecordDeletion}, which moves a leader's under this append lock.
 */
public final class Partition {

    private static final Logger logger = LoggerFactory.getLogger(Partition.class);

    /** What an append as leader did, and the leader epoch it was appended under. */
    public record LeaderAppend(ValidationResult validation, int leaderEpoch) {
    }

    private final TopicPartition topicPartition;
    private final String topicId;
    private final Log log;
    private final int localId;
    private final boolean flushOnCommit;
    private final LogFlusher flusher;
    private final PartitionListener listener;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private final Object highWatermarkLock = new Object();
    private final IsrState isrState;
    private final RecordDeletion recordDeletion;
    private volatile boolean leader;
    private volatile int leaderId = -1;
    private volatile int leaderEpoch = -1;
    private volatile StorageException failure;
    private volatile boolean removed;

    /**
     * A replica with no role yet: {@link #makeLeader} or {@link #makeFollower} gives it one.
     *
     * @param flushOnCommit whether the high watermark waits for fsync; leader appends then ask
     *     {@code flusher} for a group-committed flush
     */
    public Partition(TopicPartition topicPartition, String topicId, Log log, int localId, boolean flushOnCommit,
                     LogFlusher flusher, PartitionListener listener) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.localId = localId;
        this.flushOnCommit = flushOnCommit;
        this.flusher = flusher;
        this.listener = listener;
        this.isrState = new IsrState(this, stateLock, log, localId, flushOnCommit, listener);
        this.recordDeletion = new RecordDeletion(this, appendLock, log, listener);
    }

    /**
     * This node leads the partition at {@code newLeaderEpoch}: the epoch starts at the log end offset
     * (recorded in the leader-epoch cache before any append, so followers' divergence is computed
     * against it), and every other replica is tracked from now. Re-applying the current epoch only
     * updates the ISR.
     */
    public void makeLeader(int newLeaderEpoch, List<Integer> replicas, List<Integer> newIsr, int partitionEpoch,
                           long nowMs) {
        List<Integer> previousIsr = null;
        appendLock.lock();
        try {
            synchronized (stateLock) {
                if (leader && leaderEpoch == newLeaderEpoch) {
                    previousIsr = isrState.isr();
                    isrState.applyCommittedState(replicas, newIsr, partitionEpoch, nowMs);
                } else {
                    ensureHealthy();
                    long endOffset = log.logEndOffset();
                    log.assignEpochStartOffset(newLeaderEpoch, endOffset);
                    isrState.startLeading(endOffset, replicas, newIsr, partitionEpoch, nowMs);
                    leaderEpoch = newLeaderEpoch;
                    leaderId = localId;
                    leader = true;
                }
            }
        } finally {
            appendLock.unlock();
        }
        if (previousIsr != null) {
            isrState.reportIsrChange(previousIsr);
            isrState.membershipChanged();
            return;
        }
        if (flushOnCommit) {
            flush(); // and the high watermark over what is durable
        } else {
            isrState.maybeIncrementHighWatermark();
        }
        listener.onHighWatermarkAdvanced(this);
    }

    /**
     * Another node (or none, {@code newLeaderId} -1) leads the partition at {@code newLeaderEpoch}.
     * Appends as leader stop; waiting acks=all requests are woken and answer NOT_LEADER_OR_FOLLOWER.
     */
    public void makeFollower(int newLeaderId, int newLeaderEpoch, List<Integer> newIsr) {
        boolean changed;
        appendLock.lock();
        try {
            synchronized (stateLock) {
                changed = leader || leaderEpoch != newLeaderEpoch || leaderId != newLeaderId;
                leader = false;
                isrState.stopLeading();
                leaderId = newLeaderId;
                leaderEpoch = newLeaderEpoch;
                isrState.followerIsr(newIsr);
            }
        } finally {
            appendLock.unlock();
        }
        if (changed) {
            listener.onHighWatermarkAdvanced(this);
        }
    }

    /**
     * Validates {@code batches}, assigns offsets and this leader's epoch, and appends them. The
     * buffer is modified in place (offsets, epoch, log-append time) only if every batch is valid.
     *
     * @throws NotLeaderOrFollowerException when this replica does not lead the partition
     * @throws io.tributary.common.errors.ApiException for invalid batches (nothing is appended)
     * @throws StorageException when the log directory failed
     */
    public LeaderAppend appendAsLeader(ByteBuffer batches, long nowMs) {
        return appendAsLeader(batches, nowMs, -1);
    }

    /**
     * {@link #appendAsLeader(ByteBuffer, long)}, only while led at {@code requiredLeaderEpoch}
     * (-1: any), checked under the append lock: a writer whose state belongs to one leadership
     * never appends under the next.
     */
    public LeaderAppend appendAsLeader(ByteBuffer batches, long nowMs, int requiredLeaderEpoch) {
        ensureHealthy();
        LogConfig config = log.config();
        ValidationConfig validation = new ValidationConfig(config.maxMessageBytes(),
                "LogAppendTime".equals(config.messageTimestampType()) ? TimestampType.LOG_APPEND_TIME
                        : TimestampType.CREATE_TIME,
                config.messageTimestampBeforeMaxMs(), config.messageTimestampAfterMaxMs(), config.compacted());
        ValidationResult result;
        int epoch;
        appendLock.lock();
        try {
            if (!leader || (requiredLeaderEpoch >= 0 && requiredLeaderEpoch != leaderEpoch)) {
                throw notLeader();
            }
            epoch = leaderEpoch;
            result = LogValidator.validateAndAssignOffsets(batches, log.logEndOffset(), epoch, validation, nowMs);
            log.append(batches);
        } catch (StorageException e) {
            markFailed(e);
            throw e;
        } finally {
            appendLock.unlock();
        }
        listener.onLogAppended(this);
        if (flushOnCommit) {
            flusher.requestFlush(this);
        } else {
            isrState.maybeIncrementHighWatermark();
        }
        return new LeaderAppend(result, epoch);
    }

    /**
     * Appends the leader's batches as they are (offsets and epochs assigned by the leader), if this
     * replica still follows at {@code fetchLeaderEpoch}.
     *
     * @return false (nothing appended) when the role or leader epoch changed since the fetch
     */
    public boolean appendAsFollower(ByteBuffer batches, int fetchLeaderEpoch) {
        return changeAsFollower(fetchLeaderEpoch, () -> log.append(batches));
    }

    /**
     * Drops this follower's records from {@code offset} on (where its log diverged from the leader's),
     * or all of them, restarting the log at {@code offset}, when {@code fully}.
     *
     * @return false (nothing truncated) when the role or leader epoch changed since the fetch
     */
    public boolean truncateAsFollower(long offset, boolean fully, int fetchLeaderEpoch) {
        return changeAsFollower(fetchLeaderEpoch, () -> {
            logger.info("Partition {}: follower truncates its log {} offset {} (log end offset {}, leader epoch {})",
                    topicPartition, fully ? "fully, restarting it at" : "to", offset, log.logEndOffset(),
                    fetchLeaderEpoch);
            if (fully) {
                log.truncateFullyAndStartAt(offset);
            } else {
                log.truncateTo(offset);
            }
        });
    }

    /**
     * Runs {@code change} on the log under the append lock if this replica still follows at
     * {@code fetchLeaderEpoch} (and was not removed); a storage failure takes the partition offline.
     */
    private boolean changeAsFollower(int fetchLeaderEpoch, Runnable change) {
        ensureHealthy();
        appendLock.lock();
        try {
            if (leader || removed || leaderEpoch != fetchLeaderEpoch) {
                return false;
            }
            change.run();
            return true;
        } catch (StorageException e) {
            markFailed(e);
            throw e;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * A follower takes the leader's high watermark (capped at its own log end) and log start offset
     * (capped at its high watermark); the segments wholly below a new log start offset are deleted
     * before this returns. {@link #persistLogStartOffsets} makes it durable.
     */
    public void updateFromLeader(long leaderHighWatermark, long leaderLogStartOffset) {
        if (leader) {
            return;
        }
        if (raiseHighWatermark(Math.min(leaderHighWatermark, log.logEndOffset()))) {
            listener.onHighWatermarkAdvanced(this);
        }
        recordDeletion.followLeaderLogStartOffset(leaderLogStartOffset);
    }

    /**
     * Writes the log-start-offset checkpoints so the follower's log start offsets of {@code moved}
     * (partitions sharing this one's listener, as every partition of a node does) are durable before
     * they are reported to the leader (which a DeleteRecords answer waits for). One call covers all
     * the partitions one leader answer moved (their directories' checkpoints are written); then
     * {@link #checkLogOnline} tells, per partition, whether its own directory was written. Call
     * outside the partition's locks.
     *
     * @throws StorageException when no checkpoint could be written at all (the log manager stopped)
     */
    public void persistLogStartOffsets(Collection<TopicPartition> moved) {
        recordDeletion.persistLogStartOffsets(moved);
    }

    /**
     * Takes the partition offline (sticky) if its log directory went offline, e.g. while writing
     * the checkpoints.
     *
     * @throws StorageException when the log directory is offline
     */
    public void checkLogOnline() {
        recordDeletion.checkLogOnline();
    }

    /**
     * Deletes the records below {@code offset} (-1: the high watermark) as leader (DeleteRecords):
     * the log start offset moves up to it, under the append lock so a replica that just lost the
     * leadership deletes nothing, and the segments wholly below it are deleted. Waiters are woken,
     * so followers' replica fetches learn the new log start offset at once.
     *
     * @return the offset below which records are now deleted: {@code offset}, or the high watermark
     *     for -1 (the log start offset is at least that; it stays higher if it already was)
     * @throws NotLeaderOrFollowerException when this replica does not lead the partition
     * @throws PolicyViolationException when the topic's cleanup.policy does not include delete
     * @throws OffsetOutOfRangeException when offset is above the high watermark, or below -1
     * @throws StorageException when the log directory failed
     */
    public long deleteRecordsAsLeader(long offset) {
        return recordDeletion.deleteRecordsAsLeader(offset);
    }

    /**
     * A follower fetched at {@code fetchOffset} (its log end offset) having fsynced up to
     * {@code durableOffset} and with its log start offset at {@code logStartOffset}. May advance the
     * high watermark, wakes waiters (a DeleteRecords waiting for the ISR) when the low watermark
     * rose, and may return an ISR expansion to send to the controller when the follower has caught
     * up and {@code replicaEligible} (an active broker).
     *
     * @throws NotLeaderOrFollowerException when this replica does not lead the partition
     */
    public Optional<IsrChange> recordFollowerFetch(int replicaId, long fetchOffset, long durableOffset,
                                                   long logStartOffset, boolean replicaEligible, long nowMs) {
        return isrState.recordFollowerFetch(replicaId, fetchOffset, durableOffset, logStartOffset, replicaEligible,
                nowMs);
    }

    /**
     * DeleteRecords' low watermark (Kafka's): the lowest log start offset over this leader and the
     * in-sync followers, as they last reported it.
     *
     * @throws NotLeaderOrFollowerException when this replica does not lead the partition
     */
    public long lowWatermark() {
        return isrState.lowWatermark();
    }

    /** An ISR shrink to send to the controller when followers lag more than {@code lagTimeMaxMs}. */
    public Optional<IsrChange> maybeShrinkIsr(long nowMs, long lagTimeMaxMs) {
        return isrState.maybeShrinkIsr(nowMs, lagTimeMaxMs);
    }

    /**
     * The controller committed an ISR change of this leader's: the state it reports (if newer than
     * the current one) applies at once.
     */
    public void onIsrChangeCommitted(int answeredLeaderEpoch, List<Integer> committedIsr, int committedPartitionEpoch,
                                     long nowMs) {
        isrState.onIsrChangeCommitted(answeredLeaderEpoch, committedIsr, committedPartitionEpoch, nowMs);
    }

    /**
     * The controller refused {@code change} for good (the replica cannot join, or the request was
     * invalid): the proposal is dropped, so later events may propose again. An outcome that is not
     * known (a timeout, a stale partition epoch that a retried, already committed change also gets)
     * must not come here: the proposal then stays, and keeps counting
     * for the high watermark, until newer metadata replaces it.
     */
    public void onIsrChangeRefused(IsrChange change) {
        isrState.onIsrChangeRefused(change);
    }

    /** Whether {@code change} is still this leader's pending proposal (worth sending again). */
    public boolean isPending(IsrChange change) {
        return isrState.isPending(change);
    }

    /**
     * fsyncs the log (group commit) and, on a leader with flush-on-commit, advances the high
     * watermark over what is durable. Does nothing once the partition was removed (its log is being
     * deleted).
     */
    public void flush() {
        if (removed) {
            return;
        }
        ensureHealthy();
        try {
            log.flush();
        } catch (StorageException e) {
            if (removed) {
                return;
            }
            markFailed(e);
            throw e;
        }
        if (flushOnCommit) {
            isrState.maybeIncrementHighWatermark();
        }
    }

    /** Reads committed data (below the high watermark) starting at {@code fetchOffset}. */
    public FetchDataInfo read(long fetchOffset, int maxBytes, boolean minOneBatch) {
        ensureHealthy();
        return log.read(fetchOffset, maxBytes, highWatermark(), minOneBatch);
    }

    /** Moves the high watermark up to {@code candidate}, never down; returns whether it moved. */
    boolean raiseHighWatermark(long candidate) {
        synchronized (highWatermarkLock) {
            boolean advanced = candidate > log.highWatermark();
            if (advanced) {
                log.updateHighWatermark(candidate);
            }
            return advanced;
        }
    }

    void markFailed(StorageException e) {
        failure = e;
        listener.onHighWatermarkAdvanced(this);
    }

    NotLeaderOrFollowerException notLeader() {
        String current = leaderId < 0 ? "no leader" : "node " + leaderId;
        return new NotLeaderOrFollowerException("this node (" + localId + ") does not lead partition "
                + topicPartition + " (" + current + " at leader epoch " + leaderEpoch + ")");
    }

    /** @throws StorageException once the partition's log directory has failed (sticky) */
    public void ensureHealthy() {
        StorageException failed = failure;
        if (failed != null) {
            throw new StorageException("partition " + topicPartition + " is offline: " + failed.getMessage(), failed);
        }
    }

    /**
     * The partition no longer exists on this node (its topic was deleted). Waiters are woken and
     * answer UNKNOWN_TOPIC_OR_PARTITION; later flush requests are ignored.
     */
    public void markRemoved() {
        removed = true;
        leader = false;
        listener.onHighWatermarkAdvanced(this);
    }

    public boolean isRemoved() {
        return removed;
    }

    public boolean isOffline() {
        return failure != null;
    }

    /** The sticky storage failure that took the partition offline, or null while it is healthy. */
    public StorageException failure() {
        return failure;
    }

    /** Whether this replica leads the partition at {@code epoch} (and has since that epoch began). */
    public boolean isLeaderAt(int epoch) {
        return leader && leaderEpoch == epoch;
    }

    public boolean isLeader() {
        return leader;
    }

    public long highWatermark() {
        return log.highWatermark();
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    /** The committed ISR as this replica last learnt it. */
    public List<Integer> isr() {
        return isrState.isr();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public String topicId() {
        return topicId;
    }

    public Log log() {
        return log;
    }

    public boolean flushOnCommit() {
        return flushOnCommit;
    }

    @Override
    public String toString() {
        return "Partition(" + topicPartition + ", " + (leader ? "leader" : "follower of " + leaderId) + ", epoch="
                + leaderEpoch + ", hw=" + highWatermark() + ", leo=" + logEndOffset() + ")";
    }
}
