package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.FetchDataInfo;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.common.record.LogValidator;
import io.tributary.common.record.TimestampType;
import io.tributary.common.record.ValidationConfig;
import io.tributary.common.record.ValidationResult;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The leader replica of one partition on this node: validates and appends produced batches, and
 * owns the high watermark.
 *
 * <p>High watermark: with {@code log.flush.on.commit=true} it is the log's recovery point (what is
 * fsynced), so consumers never see a record an fsync could still lose and acks=all completes only
 * for durable data; otherwise it is the log end offset. (With followers, it becomes the minimum over
 * the ISR of the same quantity.)
 *
 * <p>Thread-safety: appends are serialised by an internal lock (offset assignment and append must
 * be atomic); reads and high-watermark queries may run concurrently on any thread.
 */
public final class Partition {

    private final TopicPartition topicPartition;
    private final String topicId;
    private final Log log;
    private final boolean flushOnCommit;
    private final LogFlusher flusher;
    private final HighWatermarkListener listener;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Object highWatermarkLock = new Object();
    private volatile int leaderEpoch;
    private volatile StorageException failure;
    private volatile boolean removed;

    /** Told when a partition's high watermark advances or its storage fails. */
    public interface HighWatermarkListener {
        void onHighWatermarkAdvanced(Partition partition);
    }

    /**
     * @param flushOnCommit whether the high watermark waits for fsync; appends then ask {@code flusher}
     *     for a group-committed flush
     */
    public Partition(TopicPartition topicPartition, String topicId, Log log, int leaderEpoch, boolean flushOnCommit,
                     LogFlusher flusher, HighWatermarkListener listener) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.leaderEpoch = leaderEpoch;
        this.flushOnCommit = flushOnCommit;
        this.flusher = flusher;
        this.listener = listener;
        // A single replica's whole log is committed once durable: everything recovery kept counts.
        log.updateHighWatermark(flushOnCommit ? log.flush() : log.logEndOffset());
    }

    /**
     * Validates {@code batches}, assigns offsets and this leader's epoch, and appends them. The
     * buffer is modified in place (offsets, epoch, log-append time) only if every batch is valid.
     *
     * @throws io.tributary.common.errors.ApiException for invalid batches (nothing is appended)
     * @throws StorageException when the log directory failed
     */
    public ValidationResult appendAsLeader(ByteBuffer batches, long nowMs) {
        ensureHealthy();
        LogConfig config = log.config();
        ValidationConfig validation = new ValidationConfig(config.maxMessageBytes(),
                "LogAppendTime".equals(config.messageTimestampType()) ? TimestampType.LOG_APPEND_TIME
                        : TimestampType.CREATE_TIME,
                config.messageTimestampBeforeMaxMs(), config.messageTimestampAfterMaxMs(), config.compacted());
        ValidationResult result;
        appendLock.lock();
        try {
            result = LogValidator.validateAndAssignOffsets(batches, log.logEndOffset(), leaderEpoch, validation, nowMs);
            log.append(batches);
        } catch (StorageException e) {
            markFailed(e);
            throw e;
        } finally {
            appendLock.unlock();
        }
        if (flushOnCommit) {
            flusher.requestFlush(this);
        } else {
            advanceHighWatermark(log.logEndOffset());
        }
        return result;
    }

    /**
     * fsyncs the log (group commit) and, with flush-on-commit, advances the high watermark to what is
     * durable. Does nothing once the partition was removed (its log is being deleted).
     */
    public void flush() {
        if (removed) {
            return;
        }
        ensureHealthy();
        try {
            long durable = log.flush();
            if (flushOnCommit) {
                advanceHighWatermark(durable);
            }
        } catch (StorageException e) {
            if (removed) {
                return;
            }
            markFailed(e);
            throw e;
        }
    }

    /** Reads committed data (below the high watermark) starting at {@code fetchOffset}. */
    public FetchDataInfo read(long fetchOffset, int maxBytes, boolean minOneBatch) {
        ensureHealthy();
        return log.read(fetchOffset, maxBytes, highWatermark(), minOneBatch);
    }

    /** Moves the high watermark up to {@code candidate}, never down: appenders and the flusher race here. */
    private void advanceHighWatermark(long candidate) {
        boolean advanced;
        synchronized (highWatermarkLock) {
            advanced = candidate > log.highWatermark();
            if (advanced) {
                log.updateHighWatermark(candidate);
            }
        }
        if (advanced) {
            listener.onHighWatermarkAdvanced(this);
        }
    }

    private void markFailed(StorageException e) {
        failure = e;
        listener.onHighWatermarkAdvanced(this);
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

    public long highWatermark() {
        return log.highWatermark();
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    /** The controller elected a leader: batches appended from now on carry its epoch. */
    public void updateLeaderEpoch(int epoch) {
        leaderEpoch = epoch;
    }

    public int leaderEpoch() {
        return leaderEpoch;
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
        return "Partition(" + topicPartition + ", epoch=" + leaderEpoch + ", hw=" + highWatermark() + ")";
    }
}
