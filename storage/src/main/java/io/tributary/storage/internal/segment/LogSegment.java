package io.tributary.storage.internal.segment;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import io.tributary.common.record.RecordBatch;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One segment of a partition's log: {@code <base>.log} holding whole v2 batches back to back, plus its
 * sparse {@link OffsetIndex} and {@link TimeIndex}. File names are the 20-digit zero-padded base offset.
 *
 * <p>Index policy: after appending a batch at position P, if more than {@code index.interval.bytes}
 * of batches were appended since the previous entry, the offset index gets (batch last offset, P) and
 * the time index gets (max timestamp so far, offset of the batch that first reached it). When the
 * segment rolls or closes, the time index gets a final entry so its last entry is the segment's exact
 * max timestamp, and both indexes are trimmed to their entries.
 *
 * <p>Thread-safety: one writer at a time (the owning log's append lock) calls the mutators
 * ({@code append}, {@code recover}, {@code truncateTo}, {@code onBecomeInactive}, ...); readers may call
 * {@code read} and the lookups concurrently. {@link #sizeInBytes()} is published after the bytes are
 * written, so readers only ever see whole batches. Durability: nothing is fsynced until {@link #flush()},
 * {@link #flushLog()} or {@link #flushIndexes()}.
 */
public final class LogSegment implements Closeable {

    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String DELETED_SUFFIX = ".deleted";
    public static final long NO_TIMESTAMP = RecordBatch.NO_TIMESTAMP;

    /** Receives each valid batch found by {@link #recover}. */
    @FunctionalInterface
    public interface BatchVisitor {
        void visit(BatchHeader header) throws IOException;
    }

    /**
     * What {@link #recover} found.
     *
     * @param validBytes bytes of valid batches kept
     * @param truncatedBytes bytes cut off after them
     * @param nextOffset the offset after the last valid batch, or -1 when no batch is valid
     * @param problem why the scan stopped early, or null when every byte was valid
     */
    public record RecoveryResult(int validBytes, long truncatedBytes, long nextOffset, String problem) {
    }

    private final long baseOffset;
    private final int indexIntervalBytes;
    private final FileIo io;
    private final FileHandle log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final boolean indexFileMissingAtOpen;
    private volatile Path logFile;
    private volatile int sizeBytes;
    private volatile long maxTimestampMs = NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestamp;
    private volatile long firstBatchTimestampMs = NO_TIMESTAMP;
    private volatile boolean deleted;
    private volatile boolean closed;
    private int bytesSinceLastIndexEntry;

    LogSegment(FileIo io, Path logFile, FileHandle log, long baseOffset, int indexIntervalBytes,
            OffsetIndex offsetIndex, TimeIndex timeIndex, boolean indexFileMissingAtOpen) throws IOException {
        this.io = io;
        this.logFile = logFile;
        this.log = log;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexFileMissingAtOpen = indexFileMissingAtOpen;
        this.sizeBytes = (int) Math.min(log.size(), Integer.MAX_VALUE);
        this.offsetOfMaxTimestamp = baseOffset;
    }

    /** {@code <20-digit base offset><suffix>}. */
    public static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    /** Creates an empty segment with fresh index files; fails if a non-empty log file is in the way. */
    public static LogSegment create(FileIo io, Path dir, long baseOffset, int maxIndexBytes, int indexIntervalBytes)
            throws IOException {
        return SegmentFiles.create(io, dir, baseOffset, maxIndexBytes, indexIntervalBytes);
    }

    /**
     * Opens an existing segment. Missing index files are created empty and reported by
     * {@link #sanityCheckIndexes}; the in-memory statistics are restored by {@link #loadTail()},
     * {@link #loadFromIndexes()} or {@link #recover}.
     *
     * @param writableIndexes true for the active segment (indexes mapped at full capacity)
     */
    public static LogSegment open(FileIo io, Path dir, long baseOffset, int maxIndexBytes, int indexIntervalBytes,
            boolean writableIndexes) throws IOException {
        return SegmentFiles.open(io, dir, baseOffset, maxIndexBytes, indexIntervalBytes, writableIndexes, false);
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Bytes of whole batches in the segment. */
    public int sizeInBytes() {
        return sizeBytes;
    }

    /** The largest batch max timestamp in the segment, or -1 when it has none. */
    public long maxTimestampMs() {
        return maxTimestampMs;
    }

    /** The last offset of the first batch that reached {@link #maxTimestampMs()}. */
    public long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    public Path logFile() {
        return logFile;
    }

    public OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    /** Whether the segment was removed from its log (files renamed {@code .deleted} or gone). */
    public boolean isDeleted() {
        return deleted;
    }

    /**
     * Why an append of {@code appendBytes} must go to a new segment instead of this one, or null when it
     * fits: size ({@code segment.bytes}), time ({@code segment.ms}), or a full index. An empty segment
     * always accepts.
     *
     * <p>Time is measured in record time, as Kafka does: the incoming batch's largest timestamp minus
     * this segment's first batch timestamp. Measuring against the wall clock instead would roll on
     * every append while a producer writes timestamps older than {@code segment.ms} (a replay, a
     * mirror), until the node runs out of file descriptors.
     */
    public String rollReason(int appendBytes, long incomingMaxTimestampMs, int segmentBytes, long segmentMs) {
        if (sizeBytes == 0) {
            return null;
        }
        if ((long) sizeBytes + appendBytes > segmentBytes) {
            return "segment.bytes=" + segmentBytes + " reached (" + sizeBytes + " + " + appendBytes + " bytes)";
        }
        if (firstBatchTimestampMs != NO_TIMESTAMP && incomingMaxTimestampMs != NO_TIMESTAMP
                && incomingMaxTimestampMs - firstBatchTimestampMs > segmentMs) {
            return "segment.ms=" + segmentMs + " exceeded: incoming timestamp " + incomingMaxTimestampMs
                    + ", first batch's timestamp " + firstBatchTimestampMs;
        }
        if (offsetIndex.isFull() || timeIndex.isFull()) {
            return "index full (" + offsetIndex.entries() + " offset / " + timeIndex.entries() + " time entries)";
        }
        return null;
    }

    /**
     * Appends whole batches (the buffer from position to limit, described by {@code headers}) and
     * indexes them. Not fsynced. On an IOException the segment may hold a partial write; the caller
     * takes the log directory offline and recovery truncates it.
     */
    public void append(ByteBuffer batches, List<BatchHeader> headers) throws IOException {
        int start = sizeBytes;
        log.writeFully(batches.duplicate(), start);
        int position = start;
        for (BatchHeader header : headers) {
            indexBatch(header, position);
            position += header.sizeInBytes();
        }
        sizeBytes = position;
    }

    /**
     * Reads whole batches starting with the first batch whose last offset is at least
     * {@code startOffset}: at most {@code maxBytes} (or the whole first batch when {@code minOneBatch}),
     * and only batches whose last offset is below {@code maxOffsetExclusive}.
     *
     * @return read-only batches (possibly none), or null when no batch of this segment reaches startOffset
     */
    public ByteBuffer read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch)
            throws IOException {
        int end = sizeBytes;
        BatchHeader first = findBatch(startOffset, end);
        if (first == null) {
            return null;
        }
        int limitBytes = minOneBatch ? Math.max(maxBytes, first.sizeInBytes()) : maxBytes;
        int length = Math.min(limitBytes, end - first.position());
        if (first.lastOffset() >= maxOffsetExclusive || length < first.sizeInBytes()) {
            return ByteBuffer.allocate(0).asReadOnlyBuffer();
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        log.readFully(buffer, first.position());
        buffer.flip();
        return BatchScan.wholeBatches(buffer, maxOffsetExclusive);
    }

    /**
     * The first batch ending at or after {@code minLastOffset} whose max timestamp is at least
     * {@code targetMs}; both indexes give a lower bound for where to start scanning.
     */
    public Optional<BatchHeader> firstBatchWithTimestampAtLeast(long targetMs, long minLastOffset) throws IOException {
        if (maxTimestampMs < targetMs) {
            return Optional.empty();
        }
        int end = sizeBytes;
        int byTime = offsetIndex.lookup(timeIndex.lookup(targetMs).offset()).position();
        int position = Math.max(byTime, offsetIndex.lookup(minLastOffset).position());
        while (position < end) {
            BatchHeader header = headerAt(position, end);
            if (header.maxTimestamp() >= targetMs && header.lastOffset() >= minLastOffset) {
                return Optional.of(header);
            }
            position += header.sizeInBytes();
        }
        return Optional.empty();
    }

    /** The batch whose last offset is {@code lastOffset}, if the segment has it. */
    public Optional<BatchHeader> batchEndingAt(long lastOffset) throws IOException {
        BatchHeader header = findBatch(lastOffset, sizeBytes);
        return header != null && header.lastOffset() == lastOffset ? Optional.of(header) : Optional.empty();
    }

    /** A copy of one whole batch, read-only. */
    public ByteBuffer readBatch(BatchHeader header) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(header.sizeInBytes());
        log.readFully(buffer, header.position());
        return buffer.flip().asReadOnlyBuffer();
    }

    /**
     * Rebuilds the segment from its bytes: validates every batch ({@link RecordBatch#ensureValid()}:
     * sizes, magic, CRC; plus offsets strictly increasing from {@code minBaseOffset}), rebuilds both
     * indexes, and truncates the file at the first invalid byte.
     *
     * @param minBaseOffset the smallest base offset the first batch may have
     * @param visitor told about each valid batch, in order
     */
    public RecoveryResult recover(long minBaseOffset, BatchVisitor visitor) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        resetStatistics();
        long fileBytes = log.size();
        int position = 0;
        long expectedMinOffset = Math.max(minBaseOffset, baseOffset);
        long nextOffset = -1;
        String problem = null;
        ByteBuffer buffer = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        while (position < fileBytes && problem == null) {
            buffer = BatchScan.readCandidate(log, buffer, position, fileBytes);
            problem = BatchScan.problemWith(buffer, position, expectedMinOffset, baseOffset);
            if (problem == null) {
                BatchHeader header = BatchHeader.parse(buffer, 0, buffer.limit(), position, logFile.toString());
                indexBatch(header, position);
                visitor.visit(header);
                position += header.sizeInBytes();
                expectedMinOffset = header.nextOffset();
                nextOffset = header.nextOffset();
            }
        }
        long truncatedBytes = fileBytes - position;
        if (truncatedBytes > 0) {
            log.truncate(position);
        }
        sizeBytes = position;
        return new RecoveryResult(position, truncatedBytes, nextOffset, problem);
    }

    /**
     * Restores the in-memory statistics of a cleanly closed segment without validating it: the max
     * timestamp from the time index, then a header-only scan from the last offset-index entry to the end.
     *
     * @return the offset after the last batch, or -1 when the segment is empty
     * @throws CorruptRecordException when the scanned headers are not a plausible chain of batches
     */
    public long loadTail() throws IOException {
        loadFromIndexes();
        int end = sizeBytes;
        if (end == 0) {
            return -1;
        }
        firstBatchTimestampMs = headerAt(0, end).maxTimestamp();
        int position = offsetIndex.lastEntry().map(OffsetIndex.Entry::position).orElse(0);
        long nextOffset = -1;
        bytesSinceLastIndexEntry = 0;
        while (position < end) {
            BatchHeader header = headerAt(position, end);
            if (header.maxTimestamp() > maxTimestampMs) {
                maxTimestampMs = header.maxTimestamp();
                offsetOfMaxTimestamp = header.lastOffset();
            }
            bytesSinceLastIndexEntry += header.sizeInBytes();
            nextOffset = header.nextOffset();
            position += header.sizeInBytes();
        }
        return nextOffset;
    }

    /** Restores the max timestamp from the time index's last entry (exact for a rolled segment). */
    public void loadFromIndexes() {
        resetStatistics();
        timeIndex.lastEntry().ifPresent(entry -> {
            maxTimestampMs = entry.timestampMs();
            offsetOfMaxTimestamp = entry.offset();
        });
    }

    /**
     * Checks that both index files existed and are sane, that the last offset-index entry points at a
     * batch ending at that offset, and that a non-empty rolled segment has its final time-index entry.
     *
     * @param endOffsetExclusive an upper bound for the offsets in the segment (Long.MAX_VALUE if unknown)
     * @param active whether this is the active segment (its final time-index entry is not written yet)
     */
    public void sanityCheckIndexes(long endOffsetExclusive, boolean active) throws CorruptIndexException, IOException {
        SegmentIndexCheck.check(this, indexFileMissingAtOpen, endOffsetExclusive, active);
    }

    /**
     * Drops every batch whose last offset is at least {@code offset} (a batch holding it is dropped whole).
     *
     * @return the base offset of the first batch dropped, or -1 when nothing was dropped
     */
    public long truncateTo(long offset) throws IOException {
        BatchHeader first = findBatch(offset, sizeBytes);
        if (first == null) {
            return -1;
        }
        sizeBytes = first.position();
        log.truncate(first.position());
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        loadTail();
        return first.baseOffset();
    }

    /** Called when a newer segment takes over: records the exact max timestamp and trims the indexes. */
    public void onBecomeInactive() throws IOException {
        if (maxTimestampMs != NO_TIMESTAMP) {
            timeIndex.maybeAppend(maxTimestampMs, offsetOfMaxTimestamp, true);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Makes the indexes writable again (the segment became active after a truncation). */
    public void resizeIndexes(int maxIndexBytes) throws IOException {
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
    }

    /** fsyncs the log file and forces both indexes ({@link #flushLog()} then {@link #flushIndexes()}). */
    public void flush() throws IOException {
        flushLog();
        flushIndexes();
    }

    /**
     * fsyncs the log file only. Enough for a segment that recovery will re-scan after a crash (it
     * rebuilds that segment's indexes from the log); see {@code SegmentedLog#flushFrom}.
     */
    public void flushLog() throws IOException {
        log.force();
    }

    /** Forces both indexes: msync of a writable mapping and fsync of each index file. */
    public void flushIndexes() throws IOException {
        offsetIndex.force();
        timeIndex.force();
    }

    /** Marks the segment deleted and renames its files to {@code *.deleted}; readers keep working until close. */
    public void renameToDeleted() throws IOException {
        deleted = true;
        Path target = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
        io.move(logFile, target);
        logFile = target;
        offsetIndex.renameTo(offsetIndex.file().resolveSibling(offsetIndex.file().getFileName() + DELETED_SUFFIX));
        timeIndex.renameTo(timeIndex.file().resolveSibling(timeIndex.file().getFileName() + DELETED_SUFFIX));
    }

    /** Closes the segment and deletes its files (under their current names). */
    public void closeAndDeleteFiles() throws IOException {
        deleted = true;
        close();
        io.deleteIfExists(logFile);
        offsetIndex.closeAndDelete();
        timeIndex.closeAndDelete();
    }

    /** Writes the final time-index entry, trims the indexes and closes the files; no fsync. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (log; offsetIndex; timeIndex) {
            if (!deleted && maxTimestampMs != NO_TIMESTAMP && timeIndex.isMapped()
                    && timeIndex.entries() < timeIndex.maxEntries()) {
                timeIndex.maybeAppend(maxTimestampMs, offsetOfMaxTimestamp, true);
            }
        }
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile + ", " + sizeBytes + " bytes)";
    }

    private void indexBatch(BatchHeader header, int position) throws IOException {
        if (position == 0) {
            firstBatchTimestampMs = header.maxTimestamp();
        }
        if (header.maxTimestamp() > maxTimestampMs) {
            maxTimestampMs = header.maxTimestamp();
            offsetOfMaxTimestamp = header.lastOffset();
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            if (!offsetIndex.isFull()) {
                offsetIndex.append(header.lastOffset(), position);
            }
            timeIndex.maybeAppend(maxTimestampMs, offsetOfMaxTimestamp, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += header.sizeInBytes();
    }

    private void resetStatistics() {
        maxTimestampMs = NO_TIMESTAMP;
        offsetOfMaxTimestamp = baseOffset;
        firstBatchTimestampMs = NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;
    }

    /** The first batch at or after the index hint whose last offset is at least {@code targetOffset}. */
    private BatchHeader findBatch(long targetOffset, int end) throws IOException {
        int position = offsetIndex.lookup(targetOffset).position();
        while (position < end) {
            BatchHeader header = headerAt(position, end);
            if (header.lastOffset() >= targetOffset) {
                return header;
            }
            position += header.sizeInBytes();
        }
        return null;
    }

    BatchHeader headerAt(int position, int end) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        log.readFully(buffer, position);
        return BatchHeader.parse(buffer.flip(), 0, end - position, position, logFile.toString());
    }
}
