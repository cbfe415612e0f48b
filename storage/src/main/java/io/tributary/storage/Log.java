package io.tributary.storage;

import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.internal.LogDirHealth;
import io.tributary.storage.internal.RetentionPlanner;
import io.tributary.storage.internal.SegmentedLog;
import io.tributary.storage.internal.epoch.LeaderEpochCache;
import io.tributary.storage.internal.recovery.LoadedLog;
import io.tributary.storage.internal.segment.BatchHeader;
import io.tributary.storage.internal.segment.LogSegment;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's log: a directory {@code <log.dir>/<topic>-<partition>/} of segments (DESIGN.md §3).
 *
 * <p><b>Offsets.</b> {@code logStartOffset <= highWatermark <= logEndOffset}. Reads are served in
 * [logStartOffset, logEndOffset]; below the high watermark data is committed; below the
 * {@link #recoveryPoint()} it is fsynced.
 *
 * <p><b>Threading.</b> Thread-safe. Mutations (append, roll, truncation, retention, log-start moves,
 * close) are serialised by an append lock; {@link #read}, the timestamp lookups and the getters run
 * concurrently with them and only ever see whole batches below the published log end offset. Flushes
 * are serialised by a separate lock so appends continue while an fsync runs (group commit).
 *
 * <p><b>Durability.</b> {@link #append} writes to the page cache only. {@link #flush} fsyncs every
 * segment holding data at or above the recovery point, the indexes of rolled segments not forced yet
 * (not the active segment's: recovery rebuilds those) and the directory when a segment was created,
 * and then advances the recovery point. After a crash, data above the recovery point may be torn or
 * lost; loading recovers it (validates, truncates at the first invalid byte).
 *
 * <p><b>Failures.</b> An I/O error in a write, fsync, index write, rename or read takes the whole log
 * directory offline ({@link StorageException}, naming the directory, from then on for every log in it);
 * nothing is retried. Operations on a closed log also throw {@link StorageException}.
 */
public final class Log implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    private final Path dir;
    private final TopicPartition topicPartition;
    private final Time time;
    private final LogDirHealth dirHealth;
    private final SegmentedLog files;
    private final LeaderEpochCache epochCache;
    private final LogReader reader;
    private final LogFlusher flusher;
    private final HighWatermark highWatermark;
    private final ReentrantLock appendLock = new ReentrantLock();
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile boolean closed;

    Log(LogBuilder builder, LoadedLog loaded) {
        this.dir = builder.dir();
        this.topicPartition = TopicPartition.parse(dir.getFileName().toString());
        this.time = builder.time();
        this.dirHealth = builder.dirHealth();
        this.files = new SegmentedLog(dir, topicPartition, builder.config(), builder.scheduler(),
                builder.fileIo(), dirHealth, loaded.segments(), this::flushInBackground);
        this.epochCache = loaded.epochCache();
        this.reader = new LogReader(this, files, dirHealth);
        this.flusher = new LogFlusher(this, files, time, dirHealth, loaded.recoveryPoint());
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.highWatermark = new HighWatermark(this, Math.clamp(builder.highWatermark(), logStartOffset, logEndOffset));
    }

    /** Starts building (opening and, if needed, recovering) the log in {@code dir}. */
    public static LogBuilder builder(Path dir) {
        return new LogBuilder(dir);
    }

    /**
     * Appends complete v2 batches whose offsets the caller already assigned and validated. The first
     * batch's base offset must equal {@link #logEndOffset()} and offsets must increase from batch to
     * batch. Rolls the active segment first when it is full (size, age, index) or the offsets would
     * not fit it. Records new leader epochs. Not fsynced, except that reaching {@code flush.messages}
     * unflushed messages triggers a {@link #flush()} before returning. An empty buffer appends nothing.
     *
     * @throws IllegalArgumentException when offsets do not continue the log
     * @throws io.tributary.common.errors.CorruptRecordException when a batch is malformed
     * @throws StorageException when the directory is (or goes) offline
     */
    public LogAppendInfo append(ByteBuffer batches) {
        List<BatchHeader> headers = BatchHeader.parseAll(batches);
        if (headers.isEmpty()) {
            long end = logEndOffset;
            return new LogAppendInfo(end, end - 1, LogSegment.NO_TIMESTAMP, 0);
        }
        long firstOffset = headers.getFirst().baseOffset();
        long lastOffset = headers.getLast().lastOffset();
        long maxTimestamp = headers.stream().mapToLong(BatchHeader::maxTimestamp).max().orElseThrow();
        appendLock.lock();
        try {
            ensureUsable();
            if (firstOffset != logEndOffset) {
                throw new IllegalArgumentException("append to " + topicPartition + " starts at offset " + firstOffset
                        + " but the log end offset is " + logEndOffset);
            }
            if (lastOffset - firstOffset > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("append to " + topicPartition + " spans offsets " + firstOffset
                        + ".." + lastOffset + ", more than one segment can index");
            }
            LogSegment segment = null;
            try {
                segment = files.segmentForAppend(batches.remaining(), lastOffset, maxTimestamp, logEndOffset);
                segment.append(batches, headers);
                for (BatchHeader header : headers) {
                    epochCache.assign(header.partitionLeaderEpoch(), header.baseOffset());
                }
            } catch (IOException e) {
                throw dirHealth.markOffline("append to " + (segment == null ? dir : segment.logFile()), e);
            }
            logEndOffset = lastOffset + 1;
        } finally {
            appendLock.unlock();
        }
        if (logEndOffset - flusher.recoveryPoint() >= files.config().flushMessages()) {
            flush();
        }
        return new LogAppendInfo(firstOffset, lastOffset, maxTimestamp, batches.remaining());
    }

    /**
     * Reads whole batches starting with the batch holding {@code startOffset} (or the first batch after
     * it when the log has a gap there), from a single segment: at most {@code maxBytes}, except that
     * with {@code minOneBatch} the first batch is returned whole however large; never a batch whose last
     * offset is at or above {@code maxOffsetExclusive} (pass the high watermark for consumers, the log
     * end offset or Long.MAX_VALUE for replicas). Reading at exactly the log end offset returns nothing.
     *
     * @throws OffsetOutOfRangeException when startOffset is below the log start or above the log end offset
     * @throws StorageException when the directory is (or goes) offline
     */
    public FetchDataInfo read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        return reader.read(startOffset, maxBytes, maxOffsetExclusive, minOneBatch);
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    /** Everything below this offset is fsynced. */
    public long recoveryPoint() {
        return flusher.recoveryPoint();
    }

    /** Wall-clock time of the last flush (or of loading). */
    public long lastFlushTimeMs() {
        return flusher.lastFlushTimeMs();
    }

    /**
     * fsyncs everything appended so far and returns the new recovery point. Group commit: concurrent
     * callers queue, and a caller whose data an earlier fsync already covered returns without syncing.
     *
     * @throws StorageException when the fsync fails (the directory goes offline; it is never retried)
     */
    public long flush() {
        return flusher.flushUpTo(logEndOffset);
    }

    public long highWatermark() {
        return highWatermark.get();
    }

    /** Sets the high watermark, clamped to [logStartOffset, logEndOffset]. */
    public void updateHighWatermark(long hw) {
        highWatermark.update(hw);
    }

    /**
     * The first batch (in offset order, at or above the log start offset) whose max timestamp is at
     * least {@code targetTimestampMs}, as (its max timestamp, its base offset raised to the log start
     * offset, its leader epoch). Batch granularity: the log does not decode records, so the exact record
     * is for the caller to pick by decoding the batch, which {@link #readBatchForTimestamp} returns.
     * Includes uncommitted batches; callers filter by the high watermark.
     */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long targetTimestampMs) {
        return reader.fetchOffsetByTimestamp(targetTimestampMs);
    }

    /** The batch {@link #fetchOffsetByTimestamp} finds, whole, so the caller can decode its records. */
    public Optional<FetchDataInfo> readBatchForTimestamp(long targetTimestampMs) {
        return reader.readBatchForTimestamp(targetTimestampMs);
    }

    /**
     * The batch holding the largest timestamp in the log (the earliest such batch on ties), as
     * (timestamp, base offset raised to the log start offset, epoch); {@code read(offset, 1, ..., true)}
     * returns that batch for decoding. Empty when the log has no timestamped batch.
     */
    public Optional<TimestampAndOffset> offsetOfMaxTimestamp() {
        return reader.offsetOfMaxTimestamp();
    }

    /**
     * Applies retention (see {@link RetentionPlanner}): deletes whole old segments by log start offset,
     * {@code retention.ms} and {@code retention.bytes}, never the active segment nor uncommitted data.
     * Deleted segments are renamed {@code .deleted} at once and removed {@code file.delete.delay.ms}
     * later by the scheduler, so in-flight reads of them complete. Advances the log start offset.
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments() {
        appendLock.lock();
        try {
            ensureUsable();
            List<RetentionPlanner.Deletion> plan = RetentionPlanner.plan(files.segments().all(), files.segments()
                    .sizeInBytes(), files.config(), time.milliseconds(), logStartOffset, highWatermark.get());
            for (RetentionPlanner.Deletion deletion : plan) {
                logStartOffset = Math.max(logStartOffset, deletion.nextBaseOffset());
                files.delete(deletion.segment(), deletion.reason());
            }
            if (!plan.isEmpty()) {
                epochCache.truncateFromStart(logStartOffset);
                highWatermark.raiseToLogStart();
            }
            return plan.size();
        } catch (IOException e) {
            throw dirHealth.markOffline("retention of " + dir, e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Moves the log start offset up to {@code newLogStartOffset} (DeleteRecords). Records below it
     * become unreadable at once; the segments wholly below it are deleted by the next
     * {@link #deleteOldSegments()}. A lower value than the current one does nothing.
     *
     * @throws OffsetOutOfRangeException when newLogStartOffset is above the high watermark
     */
    public void maybeIncrementLogStartOffset(long newLogStartOffset) {
        appendLock.lock();
        try {
            ensureUsable();
            if (newLogStartOffset > highWatermark.get()) {
                throw new OffsetOutOfRangeException("cannot move the log start offset of " + topicPartition + " to "
                        + newLogStartOffset + ": it is above the high watermark " + highWatermark.get());
            }
            if (newLogStartOffset > logStartOffset) {
                LOG.info("Log start offset of {} moved from {} to {}", topicPartition, logStartOffset,
                        newLogStartOffset);
                logStartOffset = newLogStartOffset;
                epochCache.truncateFromStart(newLogStartOffset);
            }
        } catch (IOException e) {
            throw dirHealth.markOffline("leader epoch checkpoint of " + dir, e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Drops every batch at or above {@code offset} (for replica truncation). A batch holding
     * {@code offset} is dropped whole, so the new log end offset may be below {@code offset}. Later
     * segments are deleted asynchronously; the leader-epoch cache, high watermark and recovery point
     * follow. Truncating at or below the first segment's base empties the log and restarts it there.
     * Truncating at or above the log end offset drops only leader-epoch entries that start there.
     */
    public void truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("cannot truncate " + topicPartition + " to negative offset " + offset);
        }
        appendLock.lock();
        flusher.lock();
        try {
            ensureUsable();
            if (offset >= logEndOffset) {
                // No data to drop, but an epoch this replica started as leader without appending to
                // it may sit at the log end; it must go, or the replica would keep presenting an
                // epoch the new leader never had and never converge.
                epochCache.truncateFromEnd(logEndOffset);
                return;
            }
            if (offset <= files.segments().first().baseOffset()) {
                restartAt(offset, "truncation to " + offset);
                return;
            }
            long previousEnd = logEndOffset;
            int previousSegments = files.segments().count();
            long newEnd = files.truncateTo(offset);
            setEndOffsetAfterTruncation(newEnd);
            LOG.info("Truncated {} to offset {} (requested {}); it ended at {}, {} later segments deleted",
                    topicPartition, newEnd, offset, previousEnd, previousSegments - files.segments().count());
        } catch (IOException e) {
            throw dirHealth.markOffline("truncation of " + dir, e);
        } finally {
            flusher.unlock();
            appendLock.unlock();
        }
    }

    /**
     * Deletes all data and restarts the log, empty, at {@code newOffset}, which becomes the log start
     * and end offset (a replica that fell behind the leader's log start offset). The leader-epoch cache
     * is emptied with the data.
     */
    public void truncateFullyAndStartAt(long newOffset) {
        appendLock.lock();
        flusher.lock();
        try {
            ensureUsable();
            restartAt(newOffset, "full truncation");
        } catch (IOException e) {
            throw dirHealth.markOffline("truncation of " + dir, e);
        } finally {
            flusher.unlock();
            appendLock.unlock();
        }
    }

    /** Makes the next append go to a new segment (does nothing when the active segment is empty). */
    public void roll() {
        appendLock.lock();
        try {
            ensureUsable();
            files.roll(logEndOffset, "requested");
        } catch (IOException e) {
            throw dirHealth.markOffline("roll of " + dir, e);
        } finally {
            appendLock.unlock();
        }
    }

    /** The latest leader epoch recorded in the log, if any. */
    public Optional<Integer> latestEpoch() {
        return epochCache.latestEpoch();
    }

    /** Where {@code epoch} ends in this log (see {@link #epochEndOffset}), offset only. */
    public Optional<Long> endOffsetForEpoch(int epoch) {
        return epochEndOffset(epoch).map(EpochEndOffset::endOffset);
    }

    /**
     * The largest epoch at most {@code epoch} and where it ends: the next epoch's start offset, or the
     * log end offset for the latest epoch. Empty when unknown (no epochs, or epoch is newer than all).
     */
    public Optional<EpochEndOffset> epochEndOffset(int epoch) {
        return epochCache.endOffsetFor(epoch, logEndOffset);
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} (a new leader does this with its log end
     * offset before appending). Ignored unless epoch is larger than the latest epoch.
     */
    public void assignEpochStartOffset(int epoch, long startOffset) {
        appendLock.lock();
        try {
            ensureUsable();
            epochCache.assign(epoch, startOffset);
        } catch (IOException e) {
            throw dirHealth.markOffline("leader epoch checkpoint of " + dir, e);
        } finally {
            appendLock.unlock();
        }
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return files.config();
    }

    /** Applies a new configuration; index sizes apply to segments created from now on. */
    public void updateConfig(LogConfig newConfig) {
        files.updateConfig(Objects.requireNonNull(newConfig, "newConfig"));
    }

    public int numberOfSegments() {
        return files.segments().count();
    }

    /** Bytes of all live segments (not counting ones awaiting deletion). */
    public long size() {
        return files.segments().sizeInBytes();
    }

    /** Whether the log directory holding this log is online. */
    public boolean isOnline() {
        return dirHealth.isOnline();
    }

    /**
     * Flushes what is still unsynced (an append may have slipped in after the log manager's shutdown
     * flush, and a clean-shutdown marker must never cover unsynced data), seals and forces the active
     * segment's indexes (flushes leave them to recovery, which a clean shutdown skips), then closes the
     * files. A log whose directory is offline is closed without
     * flushing. Segments awaiting deletion are closed too; their {@code .deleted} files are removed
     * when the scheduled deletion runs or at the next load. Idempotent.
     */
    @Override
    public void close() {
        appendLock.lock();
        flusher.lock();
        try {
            if (closed) {
                return;
            }
            if (isOnline()) {
                flusher.flushForClose();
            }
            closed = true;
            files.close().ifPresent(failure -> {
                throw dirHealth.markOffline("close of " + dir, failure);
            });
        } finally {
            flusher.unlock();
            appendLock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Log(" + dir + ", start=" + logStartOffset + ", end=" + logEndOffset + ", hw=" + highWatermark.get()
                + ")";
    }

    private void flushInBackground(long offset) {
        flusher.flushInBackground(offset);
    }

    /**
     * Call with both locks held. The emptied log holds no epoch: one kept from the deleted data would
     * make the cache ignore the smaller epochs a replica may append next (a follower that fell behind
     * its leader's log start, whose own tail was never committed).
     */
    private void restartAt(long offset, String why) throws IOException {
        files.restartAt(offset, why);
        logStartOffset = offset;
        setEndOffsetAfterTruncation(offset);
        epochCache.clear();
    }

    /** Call with both locks held. */
    private void setEndOffsetAfterTruncation(long newEnd) throws IOException {
        logEndOffset = newEnd;
        logStartOffset = Math.min(logStartOffset, newEnd);
        flusher.capRecoveryPoint(newEnd);
        epochCache.truncateFromEnd(newEnd);
        highWatermark.clampAfterTruncation();
    }

    void ensureUsable() {
        dirHealth.ensureOnline();
        if (closed) {
            throw new StorageException("log " + dir + " is closed");
        }
    }
}
