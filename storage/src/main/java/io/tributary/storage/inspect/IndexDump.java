package io.tributary.storage.inspect;

import io.tributary.storage.internal.segment.CorruptIndexException;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.internal.segment.OffsetIndex;
import io.tributary.storage.internal.segment.TimeIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a segment's offset index ({@code .index}) or time index ({@code .timeindex}), opened
 * read-only through the log's own index classes, and checked two ways:
 *
 * <ul>
 *   <li>the log's own sanity check (whole entries, increasing, inside the segment), as on a node's start;
 *   <li>against the segment's {@code .log} next to it, when there is one, entry by entry as Kafka's
 *       {@code --verify-index-only} does: an offset-index entry must point at the position of a batch
 *       ending at its offset; a time-index entry's offset must end a batch whose max timestamp is the
 *       entry's timestamp.
 * </ul>
 */
public final class IndexDump {

    /** Offset index files end with this. */
    public static final String INDEX_SUFFIX = LogSegment.INDEX_SUFFIX;
    /** Time index files end with this. */
    public static final String TIME_INDEX_SUFFIX = LogSegment.TIME_INDEX_SUFFIX;

    /** An offset-index entry: the batch ending at {@code offset} starts at {@code position}. */
    public record OffsetEntry(long offset, int position) {
    }

    /** A time-index entry: {@code timestampMs} is first reached by the batch ending at {@code offset}. */
    public record TimeEntry(long timestampMs, long offset) {
    }

    /**
     * An offset-index entry that does not match the log.
     *
     * @param logOffset the last offset of the batch at the entry's position, or -1 when no batch starts there
     */
    public record OffsetMismatch(OffsetEntry entry, long logOffset) {
    }

    /**
     * A time-index entry that does not match the log.
     *
     * @param logTimestampMs the max timestamp of the batch ending at the entry's offset, or -1 when no
     *                       batch ends there
     */
    public record TimeMismatch(TimeEntry entry, long logTimestampMs) {
    }

    /**
     * An offset index.
     *
     * @param logFile             the segment checked against, or null when there is none next to the index
     * @param preallocatedEntries zero entries after the last real one: the preallocated space of the
     *                            active segment's index of a running node (or of a crashed one, which
     *                            rebuilds it); they are not listed, and the sanity check is not run
     * @param sanityProblem       what the log's sanity check found wrong, or null
     * @param mismatches          entries that do not match the segment (none when it was not checked)
     */
    public record OffsetIndexDump(Path file, long baseOffset, List<OffsetEntry> entries, int preallocatedEntries,
            Path logFile, String sanityProblem, List<OffsetMismatch> mismatches) {

        public OffsetIndexDump {
            entries = List.copyOf(entries);
            mismatches = List.copyOf(mismatches);
        }

        public boolean hasProblems() {
            return sanityProblem != null || !mismatches.isEmpty();
        }
    }

    /** A time index; fields as for {@link OffsetIndexDump}. */
    public record TimeIndexDump(Path file, long baseOffset, List<TimeEntry> entries, int preallocatedEntries,
            Path logFile, String sanityProblem, List<TimeMismatch> mismatches) {

        public TimeIndexDump {
            entries = List.copyOf(entries);
            mismatches = List.copyOf(mismatches);
        }

        public boolean hasProblems() {
            return sanityProblem != null || !mismatches.isEmpty();
        }
    }

    private IndexDump() {
    }

    /**
     * Reads and checks an offset index.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when the file is not named like an index
     */
    public static OffsetIndexDump offsetIndex(Path file) throws IOException {
        long baseOffset = SegmentFileNames.baseOffset(file, INDEX_SUFFIX);
        SegmentDump log = segmentNextTo(file, baseOffset);
        try (OffsetIndex index = new OffsetIndex(ReadOnlyFileIo.INSTANCE, file, baseOffset, 0, false)) {
            // The batch at position 0 is never indexed (an entry follows index.interval.bytes of batches),
            // so all-zero entries at the end are preallocated space, even when no entry was written yet.
            int real = index.entries();
            while (real > 0 && index.entry(real - 1).offset() == baseOffset && index.entry(real - 1).position() == 0) {
                real--;
            }
            List<OffsetEntry> entries = new ArrayList<>();
            for (int i = 0; i < real; i++) {
                OffsetIndex.Entry entry = index.entry(i);
                entries.add(new OffsetEntry(entry.offset(), entry.position()));
            }
            int preallocated = index.entries() - entries.size();
            long logBytes = log == null ? Long.MAX_VALUE : log.fileBytes();
            String sanityProblem = preallocated > 0 ? null : sanityProblem(() -> index.sanityCheck(logBytes));
            List<OffsetMismatch> mismatches = new ArrayList<>();
            if (log != null) {
                Map<Integer, BatchDump> byPosition = new HashMap<>();
                log.batches().forEach(batch -> byPosition.put(batch.position(), batch));
                for (OffsetEntry entry : entries) {
                    BatchDump batch = byPosition.get(entry.position());
                    long logOffset = batch == null ? -1 : batch.lastOffset();
                    if (logOffset != entry.offset()) {
                        mismatches.add(new OffsetMismatch(entry, logOffset));
                    }
                }
            }
            return new OffsetIndexDump(file, baseOffset, entries, preallocated, log == null ? null : log.file(),
                    sanityProblem, mismatches);
        }
    }

    /**
     * Reads and checks a time index.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException when the file is not named like a time index
     */
    public static TimeIndexDump timeIndex(Path file) throws IOException {
        long baseOffset = SegmentFileNames.baseOffset(file, TIME_INDEX_SUFFIX);
        SegmentDump log = segmentNextTo(file, baseOffset);
        try (TimeIndex index = new TimeIndex(ReadOnlyFileIo.INSTANCE, file, baseOffset, 0, false)) {
            // An entry follows index.interval.bytes of batches and has a real timestamp, so all-zero
            // entries at the end are preallocated space, even when no entry was written yet.
            int real = index.entries();
            while (real > 0 && index.entry(real - 1).timestampMs() == 0
                    && index.entry(real - 1).offset() == baseOffset) {
                real--;
            }
            List<TimeEntry> entries = new ArrayList<>();
            for (int i = 0; i < real; i++) {
                TimeIndex.Entry entry = index.entry(i);
                entries.add(new TimeEntry(entry.timestampMs(), entry.offset()));
            }
            int preallocated = index.entries() - entries.size();
            long endOffset = log == null || log.batches().isEmpty() ? Long.MAX_VALUE
                    : log.batches().getLast().lastOffset() + 1;
            String sanityProblem = preallocated > 0 ? null : sanityProblem(() -> index.sanityCheck(endOffset));
            List<TimeMismatch> mismatches = new ArrayList<>();
            if (log != null) {
                Map<Long, BatchDump> byLastOffset = new HashMap<>();
                log.batches().forEach(batch -> byLastOffset.put(batch.lastOffset(), batch));
                for (TimeEntry entry : entries) {
                    BatchDump batch = byLastOffset.get(entry.offset());
                    long logTimestampMs = batch == null ? -1 : batch.maxTimestampMs();
                    if (logTimestampMs != entry.timestampMs()) {
                        mismatches.add(new TimeMismatch(entry, logTimestampMs));
                    }
                }
            }
            return new TimeIndexDump(file, baseOffset, entries, preallocated, log == null ? null : log.file(),
                    sanityProblem, mismatches);
        }
    }

    private static SegmentDump segmentNextTo(Path indexFile, long baseOffset) throws IOException {
        Path logFile = SegmentFileNames.sibling(indexFile, baseOffset, SegmentDump.LOG_SUFFIX);
        return ReadOnlyFileIo.INSTANCE.exists(logFile) ? SegmentDump.read(logFile, false, Long.MAX_VALUE) : null;
    }

    @FunctionalInterface
    private interface SanityCheck {
        void run() throws CorruptIndexException;
    }

    private static String sanityProblem(SanityCheck check) {
        try {
            check.run();
            return null;
        } catch (CorruptIndexException e) {
            return e.getMessage();
        }
    }
}
