package io.tributary.storage.internal.recovery;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.storage.LogConfig;
import io.tributary.storage.internal.checkpoint.AtomicFile;
import io.tributary.storage.internal.epoch.LeaderEpochCache;
import io.tributary.storage.internal.segment.CorruptIndexException;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.internal.segment.LogSegments;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory and makes it consistent (DESIGN.md §3, "Recovery"):
 *
 * <ol>
 *   <li>Leftovers: stale {@code .tmp} checkpoint files, {@code .deleted} segments whose asynchronous
 *       deletion was cut short, {@code .cleaned} files of an unfinished rewrite and index files without
 *       a log are deleted; {@code .swap} files are completed ({@link SwapFiles}).
 *   <li>Every segment's indexes are sanity-checked, after a clean shutdown too; a missing or corrupt
 *       index is rebuilt by recovering its segment, never fatal.
 *   <li>After an unclean shutdown every segment from the one holding the last offset below the
 *       recovery point on is recovered: each batch is validated (sizes, magic, CRC32C, offsets strictly
 *       increasing), the indexes rebuilt, and the log is truncated at the first invalid byte; all later
 *       segments are deleted, as they are when a recovered segment ends short of the next one (a hole
 *       in the offsets of a non-compacted log means lost data). The same applies when rebuilding an
 *       index uncovers an invalid batch.
 *   <li>The leader-epoch cache is trimmed to the surviving offsets, and the log start offset is the
 *       checkpointed one or the first segment's base, whichever is larger. If the log start offset is
 *       beyond the surviving data (the tail was lost), the log is emptied and restarts there.
 * </ol>
 *
 * Recovered segments are fsynced before loading finishes, so the returned recovery point (the log end
 * offset) is truthful. One INFO line reports what was found; truncations are logged at WARN with
 * offsets and bytes. Not thread-safe: run once per directory, before the log is shared.
 */
public final class LogLoader {

    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);
    private static final String CLEANED_SUFFIX = ".cleaned";

    private final Path dir;
    private final LogConfig config;
    private final FileIo io;
    private final List<String> notes = new ArrayList<>();
    private final List<LogSegment> recovered = new ArrayList<>();

    private LogLoader(Path dir, LogConfig config, FileIo io) {
        this.dir = dir;
        this.config = config;
        this.io = io;
    }

    /**
     * Loads the log in {@code dir}.
     *
     * @param recoveryPoint the checkpointed recovery point (0 when unknown: everything is recovered)
     * @param logStartOffsetCheckpoint the checkpointed log start offset, or -1 when unknown
     * @param hadCleanShutdown whether the log was closed cleanly (flushed) the last time
     */
    public static LoadedLog load(Path dir, LogConfig config, FileIo io, long recoveryPoint,
            long logStartOffsetCheckpoint, boolean hadCleanShutdown) throws IOException {
        return new LogLoader(dir, config, io).load(recoveryPoint, logStartOffsetCheckpoint, hadCleanShutdown);
    }

    /** The base offset encoded in {@code fileName} when it is {@code <20 digits><suffix>}. */
    public static OptionalLong baseOffsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != 20 + suffix.length()) {
            return OptionalLong.empty();
        }
        String digits = fileName.substring(0, 20);
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(digits));
    }

    private LoadedLog load(long recoveryPoint, long logStartOffsetCheckpoint, boolean clean) throws IOException {
        List<Long> baseOffsets = cleanUpLeftovers();
        LeaderEpochCache epochCache = LeaderEpochCache.load(io, dir);
        LogSegments segments = new LogSegments();
        try {
            for (int i = 0; i < baseOffsets.size(); i++) {
                segments.add(LogSegment.open(io, dir, baseOffsets.get(i), config.segmentIndexBytes(),
                        config.indexIntervalBytes(), i == baseOffsets.size() - 1));
            }
            // From the segment holding the last flushed offset: when the recovery point sits exactly on a
            // roll boundary, the rolled segment's final time-index entry was written after its last fsync.
            long firstToRecover = clean ? Long.MAX_VALUE
                    : segments.floor(Math.max(0, recoveryPoint - 1)).map(LogSegment::baseOffset).orElse(Long.MIN_VALUE);
            long logEndOffset = segments.isEmpty() ? -1 : checkAndRecover(segments, epochCache, firstToRecover);
            if (segments.isEmpty() || logStartOffsetCheckpoint > logEndOffset) {
                logEndOffset = restartAt(segments, Math.max(0, Math.max(logStartOffsetCheckpoint, logEndOffset)));
            }
            long logStartOffset = Math.max(logStartOffsetCheckpoint, segments.first().baseOffset());
            epochCache.truncateFromEnd(logEndOffset);
            epochCache.truncateFromStart(logStartOffset);
            for (LogSegment segment : recovered) {
                if (!segment.isDeleted()) {
                    segment.flush();
                }
            }
            io.fsyncDirectory(dir);
            String shutdown = baseOffsets.isEmpty() ? "new log" : clean ? "clean shutdown" : "unclean shutdown";
            LOG.info("Loaded log {} ({}): {} segments, log start offset {}, log end offset {}{}", dir, shutdown,
                    segments.count(), logStartOffset, logEndOffset,
                    notes.isEmpty() ? "" : "; " + String.join("; ", notes));
            return new LoadedLog(segments, epochCache, logStartOffset, logEndOffset, logEndOffset);
        } catch (IOException | RuntimeException e) {
            for (LogSegment segment : segments.all()) {
                closeQuietly(segment, e);
            }
            throw e;
        }
    }

    /**
     * Sanity-checks every segment and recovers those based at or after {@code firstToRecover} (and any
     * with a bad index); after a truncation, drops the later segments. Returns the log end offset.
     */
    private long checkAndRecover(LogSegments segments, LeaderEpochCache epochCache, long firstToRecover)
            throws IOException {
        long nextOffset = -1;
        for (LogSegment segment : segments.all()) {
            boolean active = segment == segments.last();
            boolean recover = segment.baseOffset() >= firstToRecover;
            if (!recover) {
                try {
                    long endBound = segments.higher(segment.baseOffset()).map(LogSegment::baseOffset)
                            .orElse(Long.MAX_VALUE);
                    segment.sanityCheckIndexes(endBound, active);
                    nextOffset = active ? segment.loadTail() : -1;
                    if (!active) {
                        segment.loadFromIndexes();
                    }
                } catch (CorruptIndexException | CorruptRecordException e) {
                    LOG.warn("Rebuilding the indexes of {}: {}", segment.logFile(), e.getMessage());
                    recover = true;
                }
            }
            if (recover) {
                // Rebuilding needs writable indexes; a rolled segment gets trimmed again below.
                segment.resizeIndexes(config.segmentIndexBytes());
                LogSegment.RecoveryResult result = segment.recover(nextOffset,
                        batch -> epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset()));
                recovered.add(segment);
                nextOffset = result.nextOffset();
                long endOffset = nextOffset >= 0 ? nextOffset : segment.baseOffset();
                long nextBase = segments.higher(segment.baseOffset()).map(LogSegment::baseOffset)
                        .orElse(Long.MAX_VALUE);
                if (result.truncatedBytes() > 0) {
                    dropLaterSegments(segments, segment, result.truncatedBytes() + " bytes truncated at position "
                            + result.validBytes() + ": " + result.problem(), endOffset);
                    break;
                }
                // Without compaction, segments are contiguous: a recovered segment ending short of the next one
                // lost its unflushed tail at a batch boundary, and everything after that is suspect too.
                if (!active && !config.compacted() && endOffset < nextBase) {
                    dropLaterSegments(segments, segment, "it ends at offset " + endOffset
                            + " but the next segment starts at " + nextBase, endOffset);
                    break;
                }
                if (!active) {
                    segment.onBecomeInactive();
                }
            }
        }
        return nextOffset >= 0 ? nextOffset : segments.last().baseOffset();
    }

    private void dropLaterSegments(LogSegments segments, LogSegment truncated, String problem, long endOffset)
            throws IOException {
        List<LogSegment> later = segments.atOrAbove(truncated.baseOffset() + 1);
        for (LogSegment segment : later) {
            segments.remove(segment);
            segment.closeAndDeleteFiles();
        }
        String note = "kept " + truncated.logFile().getFileName() + " up to offset " + endOffset + " ("
                + problem + ")" + (later.isEmpty() ? "" : " and deleted " + later.size() + " later segments");
        LOG.warn("Recovery of {} {}", dir, note);
        notes.add(note);
    }

    /** Deletes every segment and starts an empty one at {@code offset}; returns the new log end offset. */
    private long restartAt(LogSegments segments, long offset) throws IOException {
        if (!segments.isEmpty()) {
            LOG.warn("Log start offset {} of {} is beyond the surviving data; deleting all {} segments", offset, dir,
                    segments.count());
        }
        for (LogSegment segment : segments.all()) {
            segments.remove(segment);
            segment.closeAndDeleteFiles();
        }
        LogSegment fresh = LogSegment.create(io, dir, offset, config.segmentIndexBytes(), config.indexIntervalBytes());
        segments.add(fresh);
        recovered.add(fresh);
        return offset;
    }

    /** Deletes leftover files, completes swaps, and returns the base offsets of the segments, sorted. */
    private List<Long> cleanUpLeftovers() throws IOException {
        List<Path> swaps = new ArrayList<>();
        for (Path file : io.list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(AtomicFile.TMP_SUFFIX) || name.endsWith(LogSegment.DELETED_SUFFIX)
                    || name.endsWith(CLEANED_SUFFIX)) {
                io.deleteIfExists(file);
                notes.add("deleted leftover " + name);
            } else if (name.endsWith(SwapFiles.SWAP_SUFFIX)) {
                swaps.add(file);
            }
        }
        if (!swaps.isEmpty()) {
            SwapFiles.complete(io, dir, swaps);
        }
        List<Long> baseOffsets = new ArrayList<>();
        for (Path file : io.list(dir)) {
            String name = file.getFileName().toString();
            baseOffsetOf(name, LogSegment.LOG_SUFFIX).ifPresent(baseOffsets::add);
            OptionalLong indexBase = baseOffsetOf(name, LogSegment.INDEX_SUFFIX);
            OptionalLong timeIndexBase = baseOffsetOf(name, LogSegment.TIME_INDEX_SUFFIX);
            long base = indexBase.isPresent() ? indexBase.getAsLong() : timeIndexBase.orElse(-1);
            if (base >= 0 && !io.exists(dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX)))) {
                io.deleteIfExists(file);
                notes.add("deleted orphaned index " + name);
            }
        }
        baseOffsets.sort(null);
        return baseOffsets;
    }

    private static void closeQuietly(LogSegment segment, Exception primary) {
        try {
            segment.close();
        } catch (IOException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }
}
