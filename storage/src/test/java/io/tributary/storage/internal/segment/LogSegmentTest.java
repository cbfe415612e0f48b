package io.tributary.storage.internal.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.storage.io.FileIo;
import io.tributary.storage.testing.TestBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One segment: appends, sparse indexing, reads, timestamp search, recovery, truncation, trimming. */
@Tag("unit")
class LogSegmentTest {

    private static final int PAYLOAD = 40;
    private static final int BATCH_BYTES = 61 + PAYLOAD;

    @TempDir
    Path dir;

    private LogSegment create(long base, int indexIntervalBytes) throws IOException {
        return LogSegment.create(FileIo.system(), dir, base, 8 * 1024, indexIntervalBytes);
    }

    /** Appends {@code count} single-batch appends of 3 records each; returns the batches. */
    private static List<ByteBuffer> appendBatches(LogSegment segment, long firstOffset, int count, long[] timestamps)
            throws IOException {
        List<ByteBuffer> batches = new ArrayList<>();
        long offset = firstOffset;
        for (int i = 0; i < count; i++) {
            ByteBuffer batch = TestBatches.batch(offset, 3, timestamps[i], 0, PAYLOAD);
            segment.append(batch, BatchHeader.parseAll(batch));
            batches.add(batch);
            offset += 3;
        }
        return batches;
    }

    private static long[] increasing(int count) {
        long[] timestamps = new long[count];
        for (int i = 0; i < count; i++) {
            timestamps[i] = 1_000 + 10L * i;
        }
        return timestamps;
    }

    @Test
    void indexEntriesAreSparseByIndexIntervalBytes() throws IOException {
        try (LogSegment segment = create(0, 2 * BATCH_BYTES + 10)) {
            appendBatches(segment, 0, 10, increasing(10));
            // Batch 0 starts the count; an entry is added once more than the interval precedes a batch: 3, 6, 9.
            assertEquals(3, segment.offsetIndex().entries());
            assertEquals(new OffsetIndex.Entry(11, 3 * BATCH_BYTES), segment.offsetIndex().entry(0));
            assertEquals(10 * BATCH_BYTES, segment.sizeInBytes());
        }
        try (LogSegment dense = LogSegment.create(FileIo.system(), dir, 1_000, 8 * 1024, 0)) {
            appendBatches(dense, 1_000, 5, increasing(5));
            assertEquals(4, dense.offsetIndex().entries(), "interval 0 indexes every batch but the first");
        }
    }

    @Test
    void readStartsAtTheBatchHoldingTheOffsetAndStopsAtWholeBatches() throws IOException {
        try (LogSegment segment = create(100, 150)) {
            List<ByteBuffer> batches = appendBatches(segment, 100, 8, increasing(8));
            for (long offset = 100; offset < 124; offset++) {
                ByteBuffer read = segment.read(offset, BATCH_BYTES * 2 + 5, Long.MAX_VALUE, false);
                int first = (int) (offset - 100) / 3;
                ByteBuffer expected = TestBatches.concat(batches.subList(first, Math.min(first + 2, 8))
                        .toArray(ByteBuffer[]::new));
                assertArrayEquals(TestBatches.bytes(expected), TestBatches.bytes(read), "offset " + offset);
            }
            assertNull(segment.read(124, 1000, Long.MAX_VALUE, false), "nothing at or after 124 here");
            assertEquals(0, segment.read(100, BATCH_BYTES - 1, Long.MAX_VALUE, false).remaining());
            assertEquals(BATCH_BYTES, segment.read(100, 1, Long.MAX_VALUE, true).remaining());
            assertEquals(List.of(100L, 103L), TestBatches.baseOffsets(segment.read(100, 10_000, 106, false)));
        }
    }

    @Test
    void timestampSearchFindsTheFirstBatchReachingTheTarget() throws IOException {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        long[] timestamps = new long[60];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = 1_000 + random.nextInt(500);
        }
        try (LogSegment segment = create(0, BATCH_BYTES)) {
            appendBatches(segment, 0, timestamps.length, timestamps);
            for (long target = 990; target < 1_510; target += 7) {
                Optional<BatchHeader> found = segment.firstBatchWithTimestampAtLeast(target, 0);
                int expected = -1;
                for (int i = 0; i < timestamps.length && expected < 0; i++) {
                    if (timestamps[i] >= target) {
                        expected = i;
                    }
                }
                assertEquals(expected < 0 ? Optional.empty() : Optional.of(3L * expected),
                        found.map(BatchHeader::baseOffset), "seed " + seed + ", target " + target);
            }
            assertEquals(Optional.of(30L), segment.firstBatchWithTimestampAtLeast(0, 30).map(BatchHeader::baseOffset));
        }
    }

    @Test
    void recoveryRebuildsTheSameIndexesAsAppending() throws IOException {
        List<OffsetIndex.Entry> appended = new ArrayList<>();
        long maxTimestamp;
        try (LogSegment segment = create(0, 3 * BATCH_BYTES)) {
            appendBatches(segment, 0, 20, increasing(20));
            for (int i = 0; i < segment.offsetIndex().entries(); i++) {
                appended.add(segment.offsetIndex().entry(i));
            }
            maxTimestamp = segment.maxTimestampMs();
        }
        Files.delete(dir.resolve(LogSegment.fileName(0, LogSegment.INDEX_SUFFIX)));
        try (LogSegment segment = LogSegment.open(FileIo.system(), dir, 0, 8 * 1024, 3 * BATCH_BYTES, true)) {
            LogSegment.RecoveryResult result = segment.recover(0, batch -> { });
            assertEquals(new LogSegment.RecoveryResult(20 * BATCH_BYTES, 0, 60, null), result);
            List<OffsetIndex.Entry> rebuilt = new ArrayList<>();
            for (int i = 0; i < segment.offsetIndex().entries(); i++) {
                rebuilt.add(segment.offsetIndex().entry(i));
            }
            assertEquals(appended, rebuilt);
            assertEquals(maxTimestamp, segment.maxTimestampMs());
        }
    }

    @Test
    void recoveryTruncatesAtACorruptBatch() throws IOException {
        try (LogSegment segment = create(0, 100)) {
            appendBatches(segment, 0, 5, increasing(5));
        }
        Path log = dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        byte[] bytes = Files.readAllBytes(log);
        bytes[3 * BATCH_BYTES + 70] ^= 0x5A;
        Files.write(log, bytes);
        try (LogSegment segment = LogSegment.open(FileIo.system(), dir, 0, 8 * 1024, 100, true)) {
            LogSegment.RecoveryResult result = segment.recover(0, batch -> { });
            assertEquals(3 * BATCH_BYTES, result.validBytes());
            assertEquals(2 * BATCH_BYTES, result.truncatedBytes());
            assertEquals(9, result.nextOffset());
            assertTrue(result.problem().contains("CRC"), result.problem());
            assertEquals(3 * BATCH_BYTES, Files.size(log));
        }
    }

    @Test
    void truncateDropsTheBatchHoldingTheOffsetAndEverythingAfter() throws IOException {
        try (LogSegment segment = create(0, 0)) {
            appendBatches(segment, 0, 6, increasing(6));
            assertEquals(6, segment.truncateTo(7), "offset 7 lies in the batch 6..8");
            assertEquals(2 * BATCH_BYTES, segment.sizeInBytes());
            assertEquals(1, segment.offsetIndex().entries());
            assertEquals(1_010, segment.maxTimestampMs());
            assertEquals(-1, segment.truncateTo(6), "nothing left at or above 6");
            appendBatches(segment, 6, 1, new long[] {5_000});
            assertEquals(5_000, segment.maxTimestampMs());
        }
    }

    @Test
    void rollingTrimsIndexesAndRecordsTheExactMaxTimestamp() throws IOException {
        try (LogSegment segment = create(0, 10 * BATCH_BYTES)) {
            appendBatches(segment, 0, 4, new long[] {1_000, 3_000, 2_000, 2_500});
            assertEquals(0, segment.timeIndex().entries(), "too few bytes for a sparse entry");
            segment.onBecomeInactive();
            assertEquals(Optional.of(new TimeIndex.Entry(3_000, 5)), segment.timeIndex().lastEntry());
            assertEquals(12, Files.size(segment.timeIndex().file()));
            assertEquals(0, Files.size(segment.offsetIndex().file()));
        }
        try (LogSegment reopened = LogSegment.open(FileIo.system(), dir, 0, 8 * 1024, 100, false)) {
            reopened.sanityCheckIndexes(12, false);
            reopened.loadFromIndexes();
            assertEquals(3_000, reopened.maxTimestampMs());
        } catch (CorruptIndexException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rollReasonsCoverSizeAgeAndFullIndexes() throws IOException {
        try (LogSegment segment = LogSegment.create(FileIo.system(), dir, 0, 8 * 3, 0)) {
            assertNull(segment.rollReason(1_000_000, 0, 100, 1), "an empty segment always accepts");
            appendBatches(segment, 0, 1, new long[] {1_000});
            assertNull(segment.rollReason(BATCH_BYTES, 1_500, 10_000, 1_000));
            assertTrue(segment.rollReason(BATCH_BYTES, 1_500, 2 * BATCH_BYTES - 1, 1_000).startsWith("segment.bytes"));
            assertTrue(segment.rollReason(BATCH_BYTES, 2_001, 10_000, 1_000).startsWith("segment.ms"));
            assertNull(segment.rollReason(BATCH_BYTES, 900, 10_000, 1_000),
                    "old incoming timestamps must not roll: segment.ms is measured in record time");
            assertNull(segment.rollReason(BATCH_BYTES, -1, 10_000, 1_000), "no timestamp, no time-based roll");
            appendBatches(segment, 3, 2, new long[] {1_001, 1_002});
            assertTrue(segment.rollReason(BATCH_BYTES, 1_500, 10_000, 1_000).startsWith("index full"));
        }
    }
}
