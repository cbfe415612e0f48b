package io.tributary.storage;

import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.internal.LogDirHealth;
import io.tributary.storage.internal.SegmentedLog;
import io.tributary.storage.internal.segment.BatchHeader;
import java.io.IOException;
import java.util.Optional;

/**
 * The read path of one {@link Log}: offset reads, timestamp lookups and the mapping of a failed
 * segment read to the error the caller sees. Takes no lock: like {@link Log#read}, it runs concurrently
 * with the log's mutations and reads the log's offsets (volatile) as they are at each step.
 */
final class LogReader {

    private final Log log;
    private final SegmentedLog files;
    private final LogDirHealth dirHealth;

    LogReader(Log log, SegmentedLog files, LogDirHealth dirHealth) {
        this.log = log;
        this.files = files;
        this.dirHealth = dirHealth;
    }

    /** See {@link Log#read}. */
    FetchDataInfo read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        log.ensureUsable();
        long startBound = log.logStartOffset();
        long endOffset = log.logEndOffset();
        if (startOffset < startBound || startOffset > endOffset) {
            throw outOfRange(startOffset, startBound, endOffset);
        }
        if (startOffset == endOffset || startOffset >= maxOffsetExclusive) {
            return FetchDataInfo.empty(startOffset);
        }
        long limitOffset = Math.min(maxOffsetExclusive, endOffset);
        if (files.segments().floor(startOffset).isEmpty()) {
            throw outOfRange(startOffset, log.logStartOffset(), log.logEndOffset());
        }
        try {
            return new FetchDataInfo(startOffset, files.read(startOffset, maxBytes, limitOffset, minOneBatch));
        } catch (SegmentedLog.SegmentReadException e) {
            throw readFailure(e, startOffset);
        }
    }

    /** See {@link Log#fetchOffsetByTimestamp}. */
    Optional<TimestampAndOffset> fetchOffsetByTimestamp(long targetTimestampMs) {
        return findBatchByTimestamp(targetTimestampMs).map(found -> toTimestampAndOffset(found.header()));
    }

    /** See {@link Log#readBatchForTimestamp}. */
    Optional<FetchDataInfo> readBatchForTimestamp(long targetTimestampMs) {
        return findBatchByTimestamp(targetTimestampMs).map(found -> {
            try {
                return new FetchDataInfo(Math.max(found.header().baseOffset(), log.logStartOffset()),
                        files.readBatch(found));
            } catch (SegmentedLog.SegmentReadException e) {
                throw readFailure(e, found.header().baseOffset());
            }
        });
    }

    /** See {@link Log#offsetOfMaxTimestamp}. */
    Optional<TimestampAndOffset> offsetOfMaxTimestamp() {
        log.ensureUsable();
        try {
            return files.batchWithMaxTimestamp(log.logStartOffset())
                    .map(found -> toTimestampAndOffset(found.header()));
        } catch (SegmentedLog.SegmentReadException e) {
            throw readFailure(e, log.logStartOffset());
        }
    }

    private Optional<SegmentedLog.FoundBatch> findBatchByTimestamp(long targetMs) {
        log.ensureUsable();
        long startBound = log.logStartOffset();
        try {
            return files.firstBatchWithTimestampAtLeast(targetMs, startBound);
        } catch (SegmentedLog.SegmentReadException e) {
            throw readFailure(e, startBound);
        }
    }

    private TimestampAndOffset toTimestampAndOffset(BatchHeader header) {
        Optional<Integer> epoch = header.partitionLeaderEpoch() >= 0
                ? Optional.of(header.partitionLeaderEpoch()) : Optional.empty();
        return new TimestampAndOffset(header.maxTimestamp(), Math.max(header.baseOffset(), log.logStartOffset()),
                epoch);
    }

    /** A read of a segment failed: retention raced us (out of range), the log closed, or the disk failed. */
    private RuntimeException readFailure(SegmentedLog.SegmentReadException e, long offset) {
        if (log.isClosed()) {
            return new StorageException("log " + log.dir() + " was closed during a read", e);
        }
        if (e.segment().isDeleted()) {
            return outOfRange(offset, log.logStartOffset(), log.logEndOffset());
        }
        if (e.getCause() instanceof IOException io) {
            return dirHealth.markOffline("read of " + e.segment().logFile(), io);
        }
        return (RuntimeException) e.getCause();
    }

    private OffsetOutOfRangeException outOfRange(long offset, long startBound, long endOffset) {
        return new OffsetOutOfRangeException("offset " + offset + " is out of range for " + log.topicPartition()
                + ": the log holds offsets " + startBound + " (log start offset) to " + endOffset
                + " (log end offset)");
    }
}
