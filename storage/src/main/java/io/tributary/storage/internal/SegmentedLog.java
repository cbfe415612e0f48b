package io.tributary.storage.internal;

import io.tributary.common.TopicPartition;
import io.tributary.storage.LogConfig;
import io.tributary.storage.Scheduler;
import io.tributary.storage.internal.segment.BatchHeader;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.internal.segment.LogSegments;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file side of a partition log: its segments, rolling, segment deletion (rename to
 * {@code .deleted} now, delete after {@code file.delete.delay.ms}), truncation of segments, fsync of
 * segments, and lookups that span segments. The offsets (log start and end, high watermark, recovery
 * point), the leader-epoch cache and the locking live in {@code io.tributary.storage.Log}.
 *
 * <p>Threading: the writer methods must be called under the owning log's append lock; the reader
 * methods may run concurrently with them. Writer methods throw IOException; the log turns it into a
 * sticky directory failure. Reader methods wrap failures in {@link SegmentReadException} so the log
 * can tell a read that raced a deletion from a disk failure.
 */
public final class SegmentedLog {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedLog.class);

    /** A read of one segment failed. */
    public static final class SegmentReadException extends RuntimeException {
        private final transient LogSegment segment;

        SegmentReadException(LogSegment segment, Exception cause) {
            super("read of " + segment.logFile() + " failed: " + cause.getMessage(), cause);
            this.segment = segment;
        }

        public LogSegment segment() {
            return segment;
        }
    }

    /** A batch and the segment holding it. */
    public record FoundBatch(LogSegment segment, BatchHeader header) {
    }

    private final Path dir;
    private final TopicPartition topicPartition;
    private final Scheduler scheduler;
    private final FileIo io;
    private final LogDirHealth dirHealth;
    private final LogSegments segments;
    private final LongConsumer flushAfterRoll;
    private final Set<LogSegment> pendingDeletion = ConcurrentHashMap.newKeySet();
    /**
     * Rolled segments whose final (trimmed) indexes have not been forced yet; see {@link #flushFrom}.
     * Added by {@link #roll} under the append lock, drained by flushFrom under the log's flush lock.
     */
    private final Set<LogSegment> unforcedIndexes = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean directoryChanged = new AtomicBoolean();
    private volatile LogConfig config;

    /**
     * @param flushAfterRoll scheduled (delay 0) with the new segment's base offset after each roll, so the
     *     finished segment gets fsynced soon and recovery rarely scans more than the active segment
     */
    public SegmentedLog(Path dir, TopicPartition topicPartition, LogConfig config, Scheduler scheduler,
            FileIo io, LogDirHealth dirHealth, LogSegments segments, LongConsumer flushAfterRoll) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.config = config;
        this.scheduler = scheduler;
        this.io = io;
        this.dirHealth = dirHealth;
        this.segments = segments;
        this.flushAfterRoll = flushAfterRoll;
    }

    public LogSegments segments() {
        return segments;
    }

    public LogConfig config() {
        return config;
    }

    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    /**
     * The segment an append of {@code appendBytes} ending at {@code lastOffset}, whose largest record
     * timestamp is {@code maxTimestampMs}, goes to, rolling if needed.
     */
    public LogSegment segmentForAppend(int appendBytes, long lastOffset, long maxTimestampMs, long logEndOffset)
            throws IOException {
        LogSegment active = segments.last();
        String reason = active.rollReason(appendBytes, maxTimestampMs, config.segmentBytes(), config.segmentMs());
        if (reason == null && lastOffset - active.baseOffset() > Integer.MAX_VALUE) {
            reason = "offset " + lastOffset + " does not fit an index based at " + active.baseOffset();
        }
        return reason == null ? active : roll(logEndOffset, reason);
    }

    /** Starts a new active segment at {@code logEndOffset} (unless the active segment is empty and based there). */
    public LogSegment roll(long logEndOffset, String reason) throws IOException {
        LogSegment active = segments.last();
        if (active.baseOffset() == logEndOffset) {
            return active;
        }
        active.onBecomeInactive();
        // Before the new segment (and so any offset above logEndOffset) is visible: a flush whose target
        // lies beyond this roll must find the rolled segment here (see flushFrom).
        unforcedIndexes.add(active);
        LogSegment fresh = LogSegment.create(io, dir, logEndOffset, config.segmentIndexBytes(),
                config.indexIntervalBytes());
        segments.add(fresh);
        directoryChanged.set(true);
        LOG.info("Rolled {} to a new segment at offset {} (previous segment {} bytes): {}", topicPartition,
                logEndOffset, active.sizeInBytes(), reason);
        scheduler.schedule("flush " + topicPartition, () -> flushAfterRoll.accept(logEndOffset), 0);
        return fresh;
    }

    /** Removes {@code segment} from the log: renamed {@code .deleted} now, its files deleted later. */
    public void delete(LogSegment segment, String reason) throws IOException {
        segments.remove(segment);
        segment.renameToDeleted();
        pendingDeletion.add(segment);
        directoryChanged.set(true);
        // Only now, after directoryChanged: a flush that no longer sees the segment here will fsync the
        // directory, making the rename durable, so the segment cannot come back with unforced indexes.
        unforcedIndexes.remove(segment);
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

    /**
     * Drops every batch at or above {@code offset}, which must lie above the first segment's base:
     * later segments are deleted, the segment holding it is truncated and becomes active.
     *
     * @return the new log end offset: {@code offset}, or the base of a batch holding it (dropped whole)
     */
    /**
     * Truncates, durably: the shortened {@code .log} is fsynced and, when segments went away, so is
     * the directory. A replica that truncated and then reports its log end (a Raft follower's next
     * fetch, a replication fetch) must not get the dropped entries back after a power loss, while the
     * leader-epoch checkpoint — written at once — already says they are gone.
     */
    public long truncateTo(long offset) throws IOException {
        List<LogSegment> later = segments.atOrAbove(offset);
        for (LogSegment segment : later) {
            delete(segment, "truncation to offset " + offset);
        }
        LogSegment last = segments.last();
        long droppedBase = last.truncateTo(offset);
        if (!later.isEmpty()) {
            last.resizeIndexes(config.segmentIndexBytes());
        }
        last.flushLog();
        if (!later.isEmpty()) {
            io.fsyncDirectory(dir);
        }
        directoryChanged.set(true);
        return droppedBase >= 0 ? Math.min(offset, droppedBase) : offset;
    }

    /** Deletes every segment and starts an empty one at {@code offset}. */
    public void restartAt(long offset, String why) throws IOException {
        for (LogSegment segment : segments.all()) {
            delete(segment, why);
        }
        segments.add(LogSegment.create(io, dir, offset, config.segmentIndexBytes(), config.indexIntervalBytes()));
        LOG.info("Restarted {} empty at offset {} ({})", topicPartition, offset, why);
    }

    /**
     * Makes everything appended before the call durable, so that the caller may then move the recovery
     * point up to the log end offset it read before calling: fsyncs the {@code .log} file of every
     * segment holding offsets at or above {@code offset}, forces the indexes of every rolled segment
     * whose indexes were not forced yet (wherever it lies), then fsyncs the directory if segments were
     * created, renamed or deleted since the last call. Segments closed by a deletion meanwhile are skipped.
     *
     * <p>The active segment's indexes are not forced: after an unclean shutdown, recovery re-scans
     * every segment from the one holding {@code recoveryPoint - 1} on and rebuilds its indexes from the
     * log, and the active segment is always among them (the recovery point never passes the log end
     * offset). A rolled segment S is skipped by recovery once the recovery point exceeds the next
     * segment's base offset, which can only happen through a flush whose target lies beyond the roll;
     * {@link #roll} records S before that roll is visible and this method forces S's trimmed indexes
     * before returning. Clean shutdown forces the rest ({@link #flushForClose}).
     */
    public void flushFrom(long offset) throws IOException {
        for (LogSegment segment : segments.from(offset)) {
            try {
                segment.flushLog();
            } catch (ClosedChannelException | IllegalStateException e) {
                // Only a segment closed by a concurrent deletion may be skipped; any other I/O error
                // (EIO included) is a failed fsync and must take the directory offline.
                if (!segment.isDeleted()) {
                    throw e;
                }
            }
        }
        forceRolledIndexes();
        if (directoryChanged.getAndSet(false)) {
            io.fsyncDirectory(dir);
        }
    }

    /**
     * Before a clean close, after {@link #flushFrom} covered the log end offset: seals the active
     * segment (final time-index entry, indexes trimmed, as closing it would) and forces its indexes,
     * the rolled segments' not yet forced indexes and, if it changed, the directory. After this,
     * nothing {@link #close()} writes needs an fsync, so a clean-shutdown marker may follow.
     */
    public void flushForClose() throws IOException {
        LogSegment active = segments.last();
        active.onBecomeInactive();
        active.flushIndexes();
        forceRolledIndexes();
        if (directoryChanged.getAndSet(false)) {
            io.fsyncDirectory(dir);
        }
    }

    /** Forces the indexes of the rolled segments recorded by {@link #roll}. */
    private void forceRolledIndexes() throws IOException {
        for (LogSegment segment : List.copyOf(unforcedIndexes)) {
            // Removed first: a segment re-added meanwhile (rolled again after a truncation) stays recorded.
            unforcedIndexes.remove(segment);
            try {
                segment.flushIndexes();
            } catch (ClosedChannelException | IllegalStateException e) {
                if (!segment.isDeleted()) {
                    unforcedIndexes.add(segment);
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                unforcedIndexes.add(segment);
                throw e;
            }
        }
    }

    /** Closes every segment, including those awaiting deletion; returns the first failure, if any. */
    public Optional<IOException> close() {
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
        return Optional.ofNullable(failure);
    }

    /**
     * Whole batches from the segment holding {@code startOffset} on (see {@code Log#read}); moves to the
     * next segment when a segment has nothing at or after startOffset. Empty when nothing qualifies.
     */
    public ByteBuffer read(long startOffset, int maxBytes, long limitOffset, boolean minOneBatch) {
        for (LogSegment segment : segments.from(startOffset)) {
            try {
                ByteBuffer batches = segment.read(startOffset, maxBytes, limitOffset, minOneBatch);
                if (batches != null) {
                    return batches;
                }
            } catch (IOException | IllegalStateException e) {
                throw new SegmentReadException(segment, e);
            }
        }
        return ByteBuffer.allocate(0).asReadOnlyBuffer();
    }

    /** The first batch ending at or after {@code minOffset} whose max timestamp is at least {@code targetMs}. */
    public Optional<FoundBatch> firstBatchWithTimestampAtLeast(long targetMs, long minOffset) {
        for (LogSegment segment : segments.from(minOffset)) {
            try {
                Optional<BatchHeader> header = segment.firstBatchWithTimestampAtLeast(targetMs, minOffset);
                if (header.isPresent()) {
                    return Optional.of(new FoundBatch(segment, header.get()));
                }
            } catch (IOException | IllegalStateException e) {
                throw new SegmentReadException(segment, e);
            }
        }
        return Optional.empty();
    }

    /** The earliest batch holding the largest timestamp among segments from the one holding {@code minOffset}. */
    public Optional<FoundBatch> batchWithMaxTimestamp(long minOffset) {
        LogSegment best = null;
        for (LogSegment segment : segments.from(minOffset)) {
            if (segment.maxTimestampMs() != LogSegment.NO_TIMESTAMP
                    && (best == null || segment.maxTimestampMs() > best.maxTimestampMs())) {
                best = segment;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        LogSegment holder = best;
        try {
            return best.batchEndingAt(best.offsetOfMaxTimestamp()).map(header -> new FoundBatch(holder, header));
        } catch (IOException | IllegalStateException e) {
            throw new SegmentReadException(best, e);
        }
    }

    /** A copy of the found batch, read-only. */
    public ByteBuffer readBatch(FoundBatch found) {
        try {
            return found.segment().readBatch(found.header());
        } catch (IOException | IllegalStateException e) {
            throw new SegmentReadException(found.segment(), e);
        }
    }
}
