package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.io.FileIo;
import io.tributary.storage.testing.FaultyFileIo;
import io.tributary.storage.testing.LogFixture;
import io.tributary.storage.testing.TestBatches;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Log contract: append, read bounds, rolling, truncation, high watermark, flush, epochs, timestamps. */
@Tag("unit")
class LogTest {

    private static final int PAYLOAD = 100;
    private static final int BATCH_BYTES = 61 + PAYLOAD;

    @TempDir
    Path tmp;

    private LogFixture fixture() {
        return new LogFixture(tmp);
    }

    private static LogConfig config(String... keyValues) {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return LogFixture.config(overrides);
    }

    private static List<ByteBuffer> appendMany(LogFixture f, Log log, int batches, int recordsPerBatch) {
        List<ByteBuffer> appended = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            appended.add(f.append(log, recordsPerBatch, PAYLOAD));
        }
        return appended;
    }

    private static List<Long> baseOffsetsRead(Log log, long offset) {
        return TestBatches.baseOffsets(log.read(offset, 10_000, Long.MAX_VALUE, false).records());
    }

    @Test
    void appendsContinueTheLogAndReportWhatTheyWrote() {
        LogFixture f = fixture();
        try (Log log = f.open(config())) {
            assertEquals(new TopicPartition("topic", 0), log.topicPartition());
            ByteBuffer two = TestBatches.concat(TestBatches.batch(0, 5, 1_000, 0, PAYLOAD),
                    TestBatches.batch(5, 2, 3_000, 0, PAYLOAD));
            LogAppendInfo info = log.append(two);
            assertEquals(new LogAppendInfo(0, 6, 3_000, 2 * BATCH_BYTES), info);
            assertEquals(7, log.logEndOffset());
            assertEquals(2L * BATCH_BYTES, log.size());
            IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                    () -> log.append(TestBatches.batch(8, 1, 1_000, 0, PAYLOAD)));
            assertTrue(gap.getMessage().contains("log end offset is 7"), gap.getMessage());
            assertThrows(IllegalArgumentException.class, () -> log.append(TestBatches.concat(
                    TestBatches.batch(7, 2, 1_000, 0, PAYLOAD), TestBatches.batch(8, 1, 1_000, 0, PAYLOAD))));
            assertEquals(new LogAppendInfo(7, 6, -1, 0), log.append(ByteBuffer.allocate(0)));
        }
    }

    @Test
    void readReturnsWholeBatchesWithinMaxBytes() {
        LogFixture f = fixture();
        try (Log log = f.open(config())) {
            List<ByteBuffer> batches = appendMany(f, log, 5, 2);
            FetchDataInfo two = log.read(3, 2 * BATCH_BYTES + BATCH_BYTES / 2, Long.MAX_VALUE, false);
            assertEquals(3, two.fetchOffset());
            assertArrayEquals(TestBatches.bytes(TestBatches.concat(batches.get(1), batches.get(2))),
                    TestBatches.bytes(two.records()));
            assertTrue(two.records().isReadOnly());
            assertTrue(log.read(0, BATCH_BYTES - 1, Long.MAX_VALUE, false).isEmpty(), "too small and not minOneBatch");
            assertEquals(BATCH_BYTES, log.read(0, 1, Long.MAX_VALUE, true).records().remaining(), "minOneBatch");
        }
    }

    @Test
    void readNeverReturnsBatchesAtOrAboveMaxOffsetExclusive() {
        LogFixture f = fixture();
        try (Log log = f.open(config())) {
            appendMany(f, log, 5, 2);
            assertEquals(List.of(0L, 2L), TestBatches.baseOffsets(log.read(0, 10_000, 4, false).records()));
            assertEquals(List.of(0L), TestBatches.baseOffsets(log.read(0, 10_000, 3, true).records()),
                    "a batch straddling the bound is withheld");
            assertTrue(log.read(4, 10_000, 4, true).isEmpty());
        }
    }

    @Test
    void readAtTheLogEndIsEmptyAndOutsideTheLogIsOutOfRange() {
        LogFixture f = fixture();
        try (Log log = f.open(config())) {
            appendMany(f, log, 3, 2);
            assertTrue(log.read(6, 10_000, Long.MAX_VALUE, true).isEmpty());
            OffsetOutOfRangeException beyond = assertThrows(OffsetOutOfRangeException.class,
                    () -> log.read(7, 10_000, Long.MAX_VALUE, true));
            assertTrue(beyond.getMessage().contains("offset 7") && beyond.getMessage().contains("0 (log start offset)")
                    && beyond.getMessage().contains("6 (log end offset)"), beyond.getMessage());
            log.updateHighWatermark(6);
            log.maybeIncrementLogStartOffset(2);
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(1, 10_000, Long.MAX_VALUE, true));
            assertEquals(List.of(2L, 4L), TestBatches.baseOffsets(log.read(2, 10_000, Long.MAX_VALUE, true).records()));
        }
    }

    @Test
    void rollsOnSegmentBytesAndReadsStayWithinOneSegment() {
        LogFixture f = fixture();
        try (Log log = f.open(config("segment.bytes", Integer.toString(3 * BATCH_BYTES)))) {
            appendMany(f, log, 7, 1);
            assertEquals(3, log.numberOfSegments());
            assertEquals(List.of(1L, 2L), baseOffsetsRead(log, 1));
            assertEquals(List.of(3L, 4L, 5L), baseOffsetsRead(log, 3));
        }
    }

    @Test
    void closeFlushesWhatIsStillUnsynced() {
        LogFixture f = fixture();
        Log log = f.open(config());
        f.append(log, 3, PAYLOAD);
        f.append(log, 2, PAYLOAD);
        assertEquals(0, log.recoveryPoint());
        log.close();
        assertEquals(5, log.recoveryPoint(), "a clean-shutdown marker may follow close: nothing may stay unsynced");
    }

    @Test
    void recordsOlderThanSegmentMsDoNotRollEveryAppend() {
        LogFixture f = fixture();
        try (Log log = f.open(config("segment.ms", "1000"))) {
            long ancient = f.time.milliseconds() - 86_400_000L;
            for (int i = 0; i < 50; i++) {
                f.append(log, 1, PAYLOAD, ancient + i);
            }
            assertEquals(1, log.numberOfSegments(), "segment.ms is measured in record time, not against the clock");
            f.append(log, 1, PAYLOAD, ancient + 1_001);
            assertEquals(2, log.numberOfSegments(), "a record segment.ms newer than the first one rolls");
        }
    }

    @Test
    void rollsOnSegmentMsFullIndexAndOnRequest() {
        LogFixture f = fixture();
        try (Log log = f.open(config("segment.ms", "1000", "segment.index.bytes", "24", "index.interval.bytes", "0"))) {
            f.append(log, 1, PAYLOAD);
            f.time.sleep(1_001);
            f.append(log, 1, PAYLOAD);
            assertEquals(2, log.numberOfSegments(), "segment.ms elapsed since the first batch");
            f.append(log, 1, PAYLOAD);
            f.append(log, 1, PAYLOAD);
            assertEquals(3, log.numberOfSegments(), "the time index (2 slots, 1 reserved) filled up");
            log.roll();
            log.roll();
            assertEquals(4, log.numberOfSegments(), "rolling an empty segment does nothing");
            f.append(log, 1, PAYLOAD);
            assertEquals(List.of(4L), TestBatches.baseOffsets(log.read(4, 10_000, Long.MAX_VALUE, false).records()));
        }
    }

    @Test
    void theSmallestIndexSizeStillWorksByRollingEveryAppend() {
        LogFixture f = fixture();
        LogConfig tiny = config("segment.index.bytes", "4");
        try (Log log = f.open(tiny)) {
            appendMany(f, log, 4, 2);
            assertEquals(4, log.numberOfSegments(), "an index without room rolls the segment at each append");
        }
        try (Log log = f.builder(tiny, FileIo.system()).hadCleanShutdown(true).build()) {
            assertEquals(8, log.logEndOffset());
            assertEquals(List.of(4L), TestBatches.baseOffsets(log.read(5, 10_000, Long.MAX_VALUE, false).records()));
            assertEquals(Optional.of(0L), log.fetchOffsetByTimestamp(f.time.milliseconds())
                    .map(TimestampAndOffset::offset), "rolled segments keep their max timestamps");
        }
    }

    @Test
    void truncationDropsWholeBatchesAndLaterSegments() {
        LogFixture f = fixture();
        try (Log log = f.open(config("segment.bytes", Integer.toString(2 * BATCH_BYTES)))) {
            f.epoch(1);
            appendMany(f, log, 2, 3);
            f.epoch(2);
            appendMany(f, log, 4, 3);
            log.updateHighWatermark(18);
            assertEquals(3, log.numberOfSegments());
            log.truncateTo(8);
            assertEquals(6, log.logEndOffset(), "offset 8 sat in batch 6..8, dropped whole");
            assertEquals(6, log.highWatermark());
            assertEquals(2, log.numberOfSegments(), "only the segment based at 12 is gone");
            assertEquals(Optional.of(1), log.latestEpoch(), "epoch 2 started at 6, which is gone");
            f.append(log, 3, PAYLOAD);
            assertEquals(Optional.of(2), log.latestEpoch());
            assertEquals(Optional.of(6L), log.endOffsetForEpoch(1));
            assertEquals(List.of(3L), TestBatches.baseOffsets(log.read(3, 10_000, Long.MAX_VALUE, false).records()));
            assertEquals(List.of(6L), TestBatches.baseOffsets(log.read(6, 10_000, Long.MAX_VALUE, false).records()),
                    "the truncated segment based at 6 became the active one");
            log.truncateTo(3);
            assertEquals(Optional.of(1), log.latestEpoch());
            log.truncateTo(0);
            assertEquals(0, log.logEndOffset());
            assertEquals(1, log.numberOfSegments());
            assertEquals(Optional.empty(), log.latestEpoch());
        }
    }

    @Test
    void truncatingAtTheLogEndDropsAnEpochThatHasNoDataYet() {
        LogFixture f = fixture();
        try (Log log = f.open(config())) {
            f.epoch(1);
            appendMany(f, log, 2, 3);
            log.assignEpochStartOffset(2, log.logEndOffset());
            assertEquals(Optional.of(2), log.latestEpoch(), "a leader records its epoch before appending");
            long end = log.logEndOffset();
            log.truncateTo(end);
            assertEquals(end, log.logEndOffset(), "no data is dropped");
            assertEquals(Optional.of(1), log.latestEpoch(), "the epoch that never got data is gone");
            log.truncateTo(end + 5);
            assertEquals(Optional.of(1), log.latestEpoch(), "an epoch with data below the log end stays");
        }
    }

    @Test
    void aFullTruncationForgetsTheEpochsOfTheDeletedData() {
        LogFixture f = fixture();
        try (Log log = f.open(config())) {
            f.epoch(7);
            appendMany(f, log, 2, 3);
            log.truncateFullyAndStartAt(20);
            assertEquals(20, log.logStartOffset());
            assertEquals(20, log.logEndOffset());
            assertEquals(Optional.empty(), log.latestEpoch(), "an empty log has no epochs");
            f.epoch(5);
            f.append(log, 3, PAYLOAD);
            assertEquals(Optional.of(5), log.latestEpoch(), "a smaller epoch than the deleted data's is recorded");
            assertEquals(Optional.of(new EpochEndOffset(5, 23)), log.epochEndOffset(5));
        }
    }

    @Test
    void highWatermarkIsClampedToTheLog() {
        LogFixture f = fixture();
        try (Log log = f.open(config())) {
            appendMany(f, log, 2, 2);
            log.updateHighWatermark(100);
            assertEquals(4, log.highWatermark());
            log.updateHighWatermark(-5);
            assertEquals(0, log.highWatermark());
            log.updateHighWatermark(3);
            assertThrows(OffsetOutOfRangeException.class, () -> log.maybeIncrementLogStartOffset(4));
            log.maybeIncrementLogStartOffset(3);
            log.maybeIncrementLogStartOffset(1);
            assertEquals(3, log.logStartOffset());
        }
    }

    @Test
    void flushAdvancesTheRecoveryPointAndGroupCommitSkipsRedundantFsyncs() {
        LogFixture f = fixture();
        FaultyFileIo io = new FaultyFileIo();
        try (Log log = f.builder(config(), io).build()) {
            appendMany(f, log, 3, 2);
            assertEquals(0, log.recoveryPoint());
            int forcesBefore = io.count(FaultyFileIo.Op.FORCE);
            assertEquals(6, log.flush());
            int forcesOfOneFlush = io.count(FaultyFileIo.Op.FORCE) - forcesBefore;
            assertTrue(forcesOfOneFlush > 0);
            assertEquals(6, log.flush());
            assertEquals(forcesBefore + forcesOfOneFlush, io.count(FaultyFileIo.Op.FORCE), "already flushed: no fsync");
        }
    }

    @Test
    void flushMessagesTriggersAFlushOnAppend() {
        LogFixture f = fixture();
        try (Log log = f.open(config("flush.messages", "5"))) {
            f.append(log, 3, PAYLOAD);
            assertEquals(0, log.recoveryPoint());
            f.append(log, 3, PAYLOAD);
            assertEquals(6, log.recoveryPoint());
        }
    }

    @Test
    void leaderEpochsAreRecordedFromAppendsAndAnswerEndOffsetQueries() {
        LogFixture f = fixture();
        try (Log log = f.open(config())) {
            assertEquals(Optional.empty(), log.latestEpoch());
            f.epoch(3);
            appendMany(f, log, 2, 5);
            f.epoch(5);
            appendMany(f, log, 1, 5);
            assertEquals(Optional.of(5), log.latestEpoch());
            assertEquals(Optional.of(new EpochEndOffset(3, 10)), log.epochEndOffset(4));
            assertEquals(Optional.of(10L), log.endOffsetForEpoch(3));
            assertEquals(Optional.of(15L), log.endOffsetForEpoch(5));
            assertEquals(Optional.empty(), log.endOffsetForEpoch(6));
            log.assignEpochStartOffset(7, 15);
            assertEquals(Optional.of(15L), log.endOffsetForEpoch(5));
            assertEquals(Optional.of(7), log.latestEpoch());
        }
    }

    @Test
    void timestampLookupsSpanSegmentsAtBatchGranularity() {
        LogFixture f = fixture();
        LogConfig config = config("segment.bytes", Integer.toString(3 * BATCH_BYTES), "index.interval.bytes", "0");
        try (Log log = f.open(config)) {
            f.epoch(2);
            long t = f.time.milliseconds();
            long[] timestamps = {t + 100, t + 300, t + 200, t + 400, t + 400, t + 350, t + 500, t + 120, t + 600};
            for (long timestamp : timestamps) {
                f.append(log, 2, PAYLOAD, timestamp);
            }
            assertEquals(3, log.numberOfSegments());
            assertEquals(Optional.of(new TimestampAndOffset(t + 100, 0, Optional.of(2))),
                    log.fetchOffsetByTimestamp(t));
            assertEquals(Optional.of(new TimestampAndOffset(t + 300, 2, Optional.of(2))),
                    log.fetchOffsetByTimestamp(t + 201));
            assertEquals(Optional.of(new TimestampAndOffset(t + 400, 6, Optional.of(2))),
                    log.fetchOffsetByTimestamp(t + 400));
            assertEquals(Optional.of(new TimestampAndOffset(t + 500, 12, Optional.of(2))),
                    log.fetchOffsetByTimestamp(t + 401));
            assertEquals(Optional.of(new TimestampAndOffset(t + 600, 16, Optional.of(2))),
                    log.fetchOffsetByTimestamp(t + 600));
            assertEquals(Optional.empty(), log.fetchOffsetByTimestamp(t + 601));
            FetchDataInfo batch = log.readBatchForTimestamp(t + 401).orElseThrow();
            assertEquals(List.of(12L), TestBatches.baseOffsets(batch.records()));
            assertEquals(Optional.of(new TimestampAndOffset(t + 600, 16, Optional.of(2))), log.offsetOfMaxTimestamp());
            log.updateHighWatermark(18);
            log.maybeIncrementLogStartOffset(3);
            assertEquals(Optional.of(new TimestampAndOffset(t + 300, 3, Optional.of(2))), log.fetchOffsetByTimestamp(t),
                    "raised to the log start offset");
        }
    }

    @Test
    void aClosedLogRefusesOperations() {
        LogFixture f = fixture();
        Log log = f.open(config());
        f.append(log, 1, PAYLOAD);
        log.close();
        log.close();
        assertThrows(StorageException.class, () -> log.read(0, 100, Long.MAX_VALUE, true));
        assertThrows(StorageException.class, () -> f.append(log, 1, PAYLOAD));
        assertFalse(log.toString().isEmpty());
    }
}
