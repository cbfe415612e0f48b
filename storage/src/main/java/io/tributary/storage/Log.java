package io.tributary.storage;

import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.internal.LogDirHealth;
import io.tributary.storage.internal.RetentionPlanner;
import io.tributary.storage.internal.epoch.LeaderEpochCache;
import io.tributary.storage.internal.recovery.LoadedLog;
import io.tributary.storage.internal.recovery.LogLoader;
import io.tributary.storage.internal.segment.BatchHeader;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.internal.segment.LogSegments;
import io.tributary.storage.io.FileIo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * segment holding data at or above the recovery point (and the directory when a segment was created)
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
    private final Scheduler scheduler;
    private final FileIo io;
    private final LogDirHealth dirHealth;
    private final LogSegments segments;
    private final LeaderEpochCache epochCache;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final Object highWatermarkLock = new Object();
    private final AtomicBoolean directoryChanged = new AtomicBoolean();
    private final Set<LogSegment> pendingDeletion = ConcurrentHashMap.newKeySet();
    private volatile LogConfig config;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile long lastFlushTimeMs;
    private volatile boolean closed;

    private Log(Builder builder, LoadedLog loaded) {
        this.dir = builder.dir;
        this.topicPartition = TopicPartition.parse(dir.getFileName().toString());
        this.time = builder.time;
        this.scheduler = builder.scheduler;
        this.io = builder.io;
        this.dirHealth = builder.dirHealth;
        this.config = builder.config;
        this.segments = loaded.segments();
        this.epochCache = loaded.epochCache();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.highWatermark = Math.clamp(builder.highWatermark, logStartOffset, logEndOffset);
        this.lastFlushTimeMs = time.milliseconds();
    }

    /** Starts building (opening and, if needed, recovering) the log in {@code dir}. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
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
            LogSegment segment = maybeRoll(batches.remaining(), lastOffset);
            try {
                segment.append(batches, headers);
                for (BatchHeader header : headers) {
                    epochCache.assign(header.partitionLeaderEpoch(), header.baseOffset());
                }
            } catch (IOException e) {
                throw dirHealth.markOffline("append to " + segment.logFile(), e);
            }
            logEndOffset = lastOffset + 1;
        } finally {
            appendLock.unlock();
        }
        if (logEndOffset - recoveryPoint >= config.flushMessages()) {
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
        ensureUsable();
        long startBound = logStartOffset;
        long endOffset = logEndOffset;
        if (startOffset < startBound || startOffset > endOffset) {
            throw outOfRange(startOffset, startBound, endOffset);
        }
        if (startOffset == endOffset || startOffset >= maxOffsetExclusive) {
            return FetchDataInfo.empty(startOffset);
        }
        long limitOffset = Math.min(maxOffsetExclusive, endOffset);
        if (segments.floor(startOffset).isEmpty()) {
            throw outOfRange(startOffset, logStartOffset, logEndOffset);
        }
        for (LogSegment segment : segments.from(startOffset)) {
            try {
                ByteBuffer batches = segment.read(startOffset, maxBytes, limitOffset, minOneBatch);
                if (batches != null) {
                    return new FetchDataInfo(startOffset, batches);
                }
            } catch (IOException | IllegalStateException e) {
                throw readFailure(segment, startOffset, e);
            }
        }
        return FetchDataInfo.empty(startOffset);
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    /** Everything below this offset is fsynced. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** Wall-clock time of the last flush (or of loading). */
    public long lastFlushTimeMs() {
        return lastFlushTimeMs;
    }

    /**
     * fsyncs everything appended so far and returns the new recovery point. Group commit: concurrent
     * callers queue, and a caller whose data an earlier fsync already covered returns without syncing.
     *
     * @throws StorageException when the fsync fails (the directory goes offline; it is never retried)
     */
    public long flush() {
        return flushUpTo(logEndOffset);
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Sets the high watermark, clamped to [logStartOffset, logEndOffset]. */
    public void updateHighWatermark(long hw) {
        synchronized (highWatermarkLock) {
            highWatermark = Math.clamp(hw, logStartOffset, logEndOffset);
        }
    }

    /**
     * The first batch (in offset order, at or above the log start offset) whose max timestamp is at
     * least {@code targetTimestampMs}, as (its max timestamp, its base offset raised to the log start
     * offset, its leader epoch). Batch granularity: the log does not decode records, so the exact record
     * is for the caller to pick by decoding the batch, which {@link #readBatchForTimestamp} returns.
     * Includes uncommitted batches; callers filter by the high watermark.
     */
    public Optional<TimestampAndOffset> fetchOffsetByTimestamp(long targetTimestampMs) {
        return findBatchByTimestamp(targetTimestampMs).map(found -> toTimestampAndOffset(found.header()));
    }

    /** The batch {@link #fetchOffsetByTimestamp} finds, whole, so the caller can decode its records. */
    public Optional<FetchDataInfo> readBatchForTimestamp(long targetTimestampMs) {
        return findBatchByTimestamp(targetTimestampMs).map(found -> {
            try {
                return new FetchDataInfo(Math.max(found.header().baseOffset(), logStartOffset),
                        found.segment().readBatch(found.header()));
            } catch (IOException | IllegalStateException e) {
                throw readFailure(found.segment(), found.header().baseOffset(), e);
            }
        });
    }

    /**
     * The batch holding the largest timestamp in the log (the earliest such batch on ties), as
     * (timestamp, base offset raised to the log start offset, epoch); {@code read(offset, 1, ..., true)}
     * returns that batch for decoding. Empty when the log has no timestamped batch.
     */
    public Optional<TimestampAndOffset> offsetOfMaxTimestamp() {
        ensureUsable();
        LogSegment best = null;
        for (LogSegment segment : segments.from(logStartOffset)) {
            if (segment.maxTimestampMs() != LogSegment.NO_TIMESTAMP
                    && (best == null || segment.maxTimestampMs() > best.maxTimestampMs())) {
                best = segment;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        try {
            return best.batchEndingAt(best.offsetOfMaxTimestamp()).map(this::toTimestampAndOffset);
        } catch (IOException | IllegalStateException e) {
            throw readFailure(best, best.offsetOfMaxTimestamp(), e);
        }
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
            List<RetentionPlanner.Deletion> plan = RetentionPlanner.plan(segments.all(), segments.sizeInBytes(),
                    config, time.milliseconds(), logStartOffset, highWatermark);
            for (RetentionPlanner.Deletion deletion : plan) {
                logStartOffset = Math.max(logStartOffset, deletion.nextBaseOffset());
                segments.remove(deletion.segment());
                deleteAsync(deletion.segment(), deletion.reason());
            }
            if (!plan.isEmpty()) {
                epochCache.truncateFromStart(logStartOffset);
                updateHighWatermark(highWatermark);
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
            if (newLogStartOffset > highWatermark) {
                throw new OffsetOutOfRangeException("cannot move the log start offset of " + topicPartition + " to "
                        + newLogStartOffset + ": it is above the high watermark " + highWatermark);
            }
            if (newLogStartOffset > logStartOffset) {
                LOG.info("Log start offset of {} moved from {} to {}", topicPartition, logStartOffset, newLogStartOffset);
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
     */
    public void truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("cannot truncate " + topicPartition + " to negative offset " + offset);
        }
        appendLock.lock();
        flushLock.lock();
        try {
            ensureUsable();
            if (offset >= logEndOffset) {
                return;
            }
            if (offset <= segments.first().baseOffset()) {
                restartAt(offset, "truncation to " + offset);
                return;
            }
            long previousEnd = logEndOffset;
            List<LogSegment> later = segments.atOrAbove(offset);
            for (LogSegment segment : later) {
                segments.remove(segment);
                deleteAsync(segment, "truncation to offset " + offset);
            }
            LogSegment last = segments.last();
            long removedBase = last.truncateTo(offset);
            if (!later.isEmpty()) {
                last.resizeIndexes(config.segmentIndexBytes());
            }
            long newEnd = removedBase >= 0 ? Math.min(offset, removedBase) : offset;
            setEndOffsetAfterTruncation(newEnd);
            LOG.info("Truncated {} to offset {} (requested {}); it ended at {}, {} later segments deleted",
                    topicPartition, newEnd, offset, previousEnd, later.size());
        } catch (IOException e) {
            throw dirHealth.markOffline("truncation of " + dir, e);
        } finally {
            flushLock.unlock();
            appendLock.unlock();
        }
    }

    /**
     * Deletes all data and restarts the log, empty, at {@code newOffset}, which becomes the log start
     * and end offset (a replica that fell behind the leader's log start offset).
     */
    public void truncateFullyAndStartAt(long newOffset) {
        appendLock.lock();
        flushLock.lock();
        try {
            ensureUsable();
            restartAt(newOffset, "full truncation");
        } catch (IOException e) {
            throw dirHealth.markOffline("truncation of " + dir, e);
        } finally {
            flushLock.unlock();
            appendLock.unlock();
        }
    }

    /** Makes the next append go to a new segment (does nothing when the active segment is empty). */
    public void roll() {
        appendLock.lock();
        try {
            ensureUsable();
            rollLocked("requested");
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
        return config;
    }

    /** Applies a new configuration; index sizes apply to segments created from now on. */
    public void updateConfig(LogConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig, "newConfig");
    }

    public int numberOfSegments() {
        return segments.count();
    }

    /** Bytes of all live segments (not counting ones awaiting deletion). */
    public long size() {
        return segments.sizeInBytes();
    }

    /** Whether the log directory holding this log is online. */
    public boolean isOnline() {
        return dirHealth.isOnline();
    }

    /**
     * Closes the files without flushing (the log manager flushes first on shutdown), trimming the
     * active segment's indexes. Segments awaiting deletion are closed too; their {@code .deleted} files
     * are removed when the scheduled deletion runs or at the next load. Idempotent.
     */
    @Override
    public void close() {
        appendLock.lock();
        flushLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            List<LogSegment> all = new ArrayList<>(segments.all());
            all.addAll(pendingDeletion);
            IOException failure = null;
            for (LogSegment segment : all) {
                try {
                    segment.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw dirHealth.markOffline("close of " + dir, failure);
            }
        } finally {
            flushLock.unlock();
            appendLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Log(" + dir + ", start=" + logStartOffset + ", end=" + logEndOffset + ", hw=" + highWatermark + ")";
    }

    private LogSegment maybeRoll(int appendBytes, long lastOffset) {
        LogSegment active = segments.last();
        String reason = active.rollReason(appendBytes, time.milliseconds(), config.segmentBytes(), config.segmentMs());
        if (reason == null && lastOffset - active.baseOffset() > Integer.MAX_VALUE) {
            reason = "offset " + lastOffset + " does not fit an index based at " + active.baseOffset();
        }
        return reason == null ? active : rollLocked(reason);
    }

    private LogSegment rollLocked(String reason) {
        LogSegment active = segments.last();
        long newBaseOffset = logEndOffset;
        if (active.baseOffset() == newBaseOffset) {
            return active;
        }
        try {
            active.onBecomeInactive();
            LogSegment fresh = LogSegment.create(io, dir, newBaseOffset, config.segmentIndexBytes(),
                    config.indexIntervalBytes());
            segments.add(fresh);
            directoryChanged.set(true);
            LOG.info("Rolled {} to a new segment at offset {} (previous segment {} bytes): {}", topicPartition,
                    newBaseOffset, active.sizeInBytes(), reason);
            // Flush the finished segment soon, so that recovery after a crash rarely scans more than the active one.
            scheduler.schedule("flush " + topicPartition, () -> flushInBackground(newBaseOffset), 0);
            return fresh;
        } catch (IOException e) {
            throw dirHealth.markOffline("roll of " + dir, e);
        }
    }

    private long flushUpTo(long offset) {
        flushLock.lock();
        try {
            ensureUsable();
            if (recoveryPoint >= offset) {
                return recoveryPoint;
            }
            long target = logEndOffset;
            for (LogSegment segment : segments.from(recoveryPoint)) {
                try {
                    segment.flush();
                } catch (IOException | IllegalStateException e) {
                    if (!segment.isDeleted()) {
                        throw e instanceof IOException io ? dirHealth.markOffline("fsync of " + segment.logFile(), io)
                                : (IllegalStateException) e;
                    }
                }
            }
            if (directoryChanged.getAndSet(false)) {
                io.fsyncDirectory(dir);
            }
            recoveryPoint = Math.max(recoveryPoint, target);
            lastFlushTimeMs = time.milliseconds();
            return recoveryPoint;
        } catch (IOException e) {
            throw dirHealth.markOffline("fsync of directory " + dir, e);
        } finally {
            flushLock.unlock();
        }
    }

    private void flushInBackground(long offset) {
        if (closed || !dirHealth.isOnline()) {
            return;
        }
        try {
            flushUpTo(offset);
        } catch (StorageException e) {
            LOG.debug("Background flush of {} skipped: {}", topicPartition, e.getMessage());
        }
    }

    private void deleteAsync(LogSegment segment, String reason) throws IOException {
        segment.renameToDeleted();
        pendingDeletion.add(segment);
        directoryChanged.set(true);
        LOG.info("Deleting segment {} of {} ({} bytes): {}", segment.baseOffset(), topicPartition,
                segment.sizeInBytes(), reason);
        scheduler.schedule("delete " + segment.logFile(), () -> {
            try {
                segment.closeAndDeleteFiles();
                pendingDeletion.remove(segment);
            } catch (IOException e) {
                dirHealth.markOffline("deletion of " + segment.logFile(), e);
            }
        }, config.fileDeleteDelayMs());
    }

    /** Call with both locks held. */
    private void restartAt(long offset, String why) throws IOException {
        for (LogSegment segment : segments.all()) {
            segments.remove(segment);
            deleteAsync(segment, why);
        }
        segments.add(LogSegment.create(io, dir, offset, config.segmentIndexBytes(), config.indexIntervalBytes()));
        logStartOffset = offset;
        setEndOffsetAfterTruncation(offset);
        epochCache.truncateFromStart(offset);
        LOG.info("Restarted {} empty at offset {} ({})", topicPartition, offset, why);
    }

    /** Call with both locks held. */
    private void setEndOffsetAfterTruncation(long newEnd) throws IOException {
        logEndOffset = newEnd;
        logStartOffset = Math.min(logStartOffset, newEnd);
        recoveryPoint = Math.min(recoveryPoint, newEnd);
        epochCache.truncateFromEnd(newEnd);
        directoryChanged.set(true);
        synchronized (highWatermarkLock) {
            highWatermark = Math.clamp(highWatermark, logStartOffset, logEndOffset);
        }
    }

    private record FoundBatch(LogSegment segment, BatchHeader header) {
    }

    private Optional<FoundBatch> findBatchByTimestamp(long targetMs) {
        ensureUsable();
        long startBound = logStartOffset;
        for (LogSegment segment : segments.from(startBound)) {
            try {
                Optional<BatchHeader> header = segment.firstBatchWithTimestampAtLeast(targetMs, startBound);
                if (header.isPresent()) {
                    return Optional.of(new FoundBatch(segment, header.get()));
                }
            } catch (IOException | IllegalStateException e) {
                throw readFailure(segment, startBound, e);
            }
        }
        return Optional.empty();
    }

    private TimestampAndOffset toTimestampAndOffset(BatchHeader header) {
        Optional<Integer> epoch = header.partitionLeaderEpoch() >= 0
                ? Optional.of(header.partitionLeaderEpoch()) : Optional.empty();
        return new TimestampAndOffset(header.maxTimestamp(), Math.max(header.baseOffset(), logStartOffset), epoch);
    }

    private void ensureUsable() {
        dirHealth.ensureOnline();
        if (closed) {
            throw new StorageException("log " + dir + " is closed");
        }
    }

    /** A read of a segment failed: retention raced us (out of range), or the disk failed. */
    private RuntimeException readFailure(LogSegment segment, long offset, Exception e) {
        if (closed) {
            return new StorageException("log " + dir + " was closed during a read");
        }
        if (segment.isDeleted()) {
            return outOfRange(offset, logStartOffset, logEndOffset);
        }
        if (e instanceof IOException io) {
            return dirHealth.markOffline("read of " + segment.logFile(), io);
        }
        return (RuntimeException) e;
    }

    private OffsetOutOfRangeException outOfRange(long offset, long startBound, long endOffset) {
        return new OffsetOutOfRangeException("offset " + offset + " is out of range for " + topicPartition
                + ": the log holds offsets " + startBound + " (log start offset) to " + endOffset + " (log end offset)");
    }

    /**
     * Opens a log. Required: the directory (named {@code <topic>-<partition>}) and a scheduler.
     * Defaults: {@link LogConfig#defaults()}, {@link Time#SYSTEM}, {@link FileIo#system()}, recovery
     * point 0 (recover everything after an unclean shutdown), no checkpointed log start offset, high
     * watermark 0, unclean shutdown.
     */
    public static final class Builder {
        private final Path dir;
        private LogConfig config = LogConfig.defaults();
        private Time time = Time.SYSTEM;
        private Scheduler scheduler;
        private FileIo io = FileIo.system();
        private long recoveryPoint;
        private long logStartOffset = -1;
        private long highWatermark;
        private boolean hadCleanShutdown;
        private LogDirHealth dirHealth;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        public Builder config(LogConfig value) {
            this.config = Objects.requireNonNull(value);
            return this;
        }

        public Builder time(Time value) {
            this.time = Objects.requireNonNull(value);
            return this;
        }

        public Builder scheduler(Scheduler value) {
            this.scheduler = Objects.requireNonNull(value);
            return this;
        }

        public Builder fileIo(FileIo value) {
            this.io = Objects.requireNonNull(value);
            return this;
        }

        /** The checkpointed recovery point: after an unclean shutdown, recovery starts at its segment. */
        public Builder recoveryPoint(long value) {
            this.recoveryPoint = value;
            return this;
        }

        /** The checkpointed log start offset (-1 = unknown: the first segment's base offset). */
        public Builder logStartOffset(long value) {
            this.logStartOffset = value;
            return this;
        }

        /** The checkpointed high watermark; clamped to the loaded offsets. */
        public Builder highWatermark(long value) {
            this.highWatermark = value;
            return this;
        }

        /** Whether the log was closed cleanly (flushed, indexes trimmed): then nothing is recovered. */
        public Builder hadCleanShutdown(boolean value) {
            this.hadCleanShutdown = value;
            return this;
        }

        /** The health of the log directory shared by all its logs (set by the log manager). */
        Builder dirHealth(LogDirHealth value) {
            this.dirHealth = value;
            return this;
        }

        /**
         * Opens the log: loads the segments and, after an unclean shutdown, recovers them (see
         * {@link LogLoader}). Creates the directory if it does not exist.
         *
         * @throws StorageException when the files cannot be read or repaired (the directory goes offline),
         *     or {@link CorruptCheckpointException} when the leader-epoch checkpoint is unreadable
         */
        public Log build() {
            Objects.requireNonNull(scheduler, "scheduler");
            if (dirHealth == null) {
                dirHealth = new LogDirHealth(dir.toAbsolutePath().getParent(), failedDir -> { });
            }
            dirHealth.ensureOnline();
            try {
                io.createDirectories(dir);
                LoadedLog loaded = LogLoader.load(dir, config, io, recoveryPoint, logStartOffset, hadCleanShutdown);
                return new Log(this, loaded);
            } catch (IOException e) {
                throw dirHealth.markOffline("loading " + dir, e);
            }
        }
    }
}
