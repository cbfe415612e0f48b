package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.record.RecordBatch;
import io.tributary.storage.testing.FaultyFileIo;
import io.tributary.storage.testing.LogFixture;
import io.tributary.storage.testing.Seeds;
import io.tributary.storage.testing.TestBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random walk over the Log API, checked after every step against a plain list of the batches
 * that should be in the log (DESIGN.md §9; STYLE.md lessons 3 and 4). Steps: appends of random sizes,
 * reads at random offsets and limits, flushes, rolls, retention, DeleteRecords, truncation, timestamp
 * lookups, clean restarts, and crashes ({@link FaultyFileIo#crash} drops a random part of everything not
 * fsynced). After a crash the log must hold a prefix of the reference that includes every flushed batch.
 * The seed is logged; replay a failure with {@code -Dtributary.seed=<seed>}.
 */
@Tag("integration")
class LogModelTest {

    private static final int STEPS = 1_500;
    private static final LogConfig CONFIG = LogConfig.defaults().withOverrides(Map.of(
            "segment.bytes", "3000",
            "segment.index.bytes", "120",
            "index.interval.bytes", "250",
            "retention.ms", "600000",
            "retention.bytes", "20000",
            "file.delete.delay.ms", "500"));

    @TempDir
    Path tmp;

    /** A batch the reference believes is in the log. */
    private record Batch(long baseOffset, long nextOffset, long maxTimestamp, byte[] bytes) {
    }

    @Test
    void theLogBehavesLikeAListOfBatchesThroughRandomOperationsAndCrashes() throws IOException {
        long seed = Seeds.seed("LogModelTest");
        new Model(seed).run();
    }

    private final class Model {
        private final long seed;
        private final SplittableRandom random;
        private final LogFixture f = new LogFixture(tmp);
        private final FaultyFileIo io = new FaultyFileIo();
        private final List<Batch> reference = new ArrayList<>();
        private long logStartOffset;
        private long logEndOffset;
        private long flushedOffset;
        private Log log;
        private int step;

        Model(long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
        }

        void run() throws IOException {
            log = f.builder(CONFIG, io).build();
            try {
                for (step = 0; step < STEPS; step++) {
                    int dice = random.nextInt(100);
                    if (dice < 35) {
                        append();
                    } else if (dice < 60) {
                        read();
                    } else if (dice < 65) {
                        flush();
                    } else if (dice < 68) {
                        log.roll();
                    } else if (dice < 74) {
                        retention();
                    } else if (dice < 79) {
                        timestampLookup();
                    } else if (dice < 82) {
                        truncate();
                    } else if (dice < 85) {
                        deleteRecords();
                    } else if (dice < 89) {
                        restartCleanly();
                    } else if (dice < 93) {
                        crashAndRestart();
                    } else {
                        f.scheduler.advance(random.nextInt(1_000));
                    }
                    checkOffsets();
                    if (step % 100 == 0) {
                        verifyEveryBatch();
                    }
                }
                verifyEveryBatch();
            } finally {
                log.close();
            }
        }

        private String where() {
            return "seed " + seed + ", step " + step;
        }

        private void append() {
            int count = 1 + random.nextInt(3);
            ByteBuffer[] batches = new ByteBuffer[count];
            long offset = logEndOffset;
            for (int i = 0; i < count; i++) {
                int records = 1 + random.nextInt(5);
                long timestamp = f.time.milliseconds() + random.nextInt(-5_000, 5_000);
                batches[i] = TestBatches.batch(offset, records, timestamp - 1, timestamp, 0, random.nextInt(600),
                        random.nextLong());
                reference.add(new Batch(offset, offset + records, timestamp, TestBatches.bytes(batches[i])));
                offset += records;
            }
            LogAppendInfo info = log.append(TestBatches.concat(batches));
            assertEquals(logEndOffset, info.firstOffset(), where());
            logEndOffset = offset;
        }

        private void read() {
            long offset = Math.max(0, logStartOffset - 3 + random.nextLong(logEndOffset - logStartOffset + 7));
            int maxBytes = random.nextInt(3_000);
            long maxOffsetExclusive = switch (random.nextInt(3)) {
                case 0 -> Long.MAX_VALUE;
                case 1 -> log.highWatermark();
                default -> offset + random.nextInt(-2, 30);
            };
            boolean minOneBatch = random.nextBoolean();
            if (offset < logStartOffset || offset > logEndOffset) {
                assertThrows(OffsetOutOfRangeException.class,
                        () -> log.read(offset, maxBytes, maxOffsetExclusive, minOneBatch), where());
                return;
            }
            ByteBuffer records = log.read(offset, maxBytes, maxOffsetExclusive, minOneBatch).records();
            checkRead(offset, maxBytes, maxOffsetExclusive, minOneBatch, records);
        }

        /**
         * The result must be consecutive reference batches starting with the one holding {@code offset},
         * each below maxOffsetExclusive, within maxBytes (or a single batch with minOneBatch), and must
         * not be empty when the first batch qualifies. It may stop early at a segment boundary.
         */
        private void checkRead(long offset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch,
                ByteBuffer records) {
            int index = indexHolding(offset);
            List<byte[]> got = split(records);
            if (index < 0) {
                assertTrue(got.isEmpty(), where());
                return;
            }
            Batch first = reference.get(index);
            boolean firstQualifies = first.nextOffset() - 1 < maxOffsetExclusive
                    && (first.bytes().length <= maxBytes || minOneBatch);
            assertEquals(firstQualifies, !got.isEmpty(), where() + ": read at " + offset);
            int totalBytes = 0;
            for (int i = 0; i < got.size(); i++) {
                Batch expected = reference.get(index + i);
                assertArrayEquals(expected.bytes(), got.get(i), where() + ": batch " + i + " of read at " + offset);
                assertTrue(expected.nextOffset() - 1 < maxOffsetExclusive, where());
                totalBytes += expected.bytes().length;
            }
            assertTrue(totalBytes <= maxBytes || got.size() == 1 && minOneBatch, where());
        }

        private void flush() {
            assertEquals(logEndOffset, log.flush(), where());
            flushedOffset = logEndOffset;
        }

        private void retention() {
            f.time.sleep(random.nextInt(300_000));
            log.updateHighWatermark(logStartOffset + random.nextLong(logEndOffset - logStartOffset + 1));
            long highWatermark = log.highWatermark();
            log.deleteOldSegments();
            long newStart = log.logStartOffset();
            assertTrue(newStart >= logStartOffset && newStart <= highWatermark, where());
            assertTrue(newStart == logStartOffset || isBatchBoundary(newStart), where() + ": start " + newStart);
            dropBelow(newStart);
            f.scheduler.advance(random.nextInt(1_000));
        }

        private void deleteRecords() {
            long highWatermark = log.highWatermark();
            if (highWatermark > logStartOffset) {
                long newStart = logStartOffset + random.nextLong(highWatermark - logStartOffset + 1);
                log.maybeIncrementLogStartOffset(newStart);
                dropBelow(newStart);
            }
        }

        private void truncate() {
            long target = logStartOffset + random.nextLong(logEndOffset - logStartOffset + 1);
            log.truncateTo(target);
            long expectedEnd = target;
            while (!reference.isEmpty() && reference.getLast().nextOffset() - 1 >= target) {
                expectedEnd = Math.min(target, reference.removeLast().baseOffset());
            }
            if (target < logEndOffset) {
                logEndOffset = expectedEnd;
                logStartOffset = Math.min(logStartOffset, logEndOffset);
                flushedOffset = Math.min(flushedOffset, logEndOffset);
            }
        }

        private void timestampLookup() {
            long target = f.time.milliseconds() + random.nextInt(-400_000, 8_000);
            Optional<TimestampAndOffset> found = log.fetchOffsetByTimestamp(target);
            Optional<Batch> expected = reference.stream()
                    .filter(b -> b.nextOffset() > logStartOffset && b.maxTimestamp() >= target).findFirst();
            assertEquals(expected.map(b -> b.maxTimestamp()), found.map(TimestampAndOffset::timestampMs), where());
            assertEquals(expected.map(b -> Math.max(b.baseOffset(), logStartOffset)),
                    found.map(TimestampAndOffset::offset), where());
        }

        private void restartCleanly() {
            log.flush();
            long highWatermark = log.highWatermark();
            log.close();
            log = f.builder(CONFIG, io).hadCleanShutdown(true).recoveryPoint(logEndOffset)
                    .logStartOffset(logStartOffset).highWatermark(highWatermark).build();
            flushedOffset = logEndOffset;
            assertEquals(highWatermark, log.highWatermark(), where());
            verifyEveryBatch();
        }

        private void crashAndRestart() throws IOException {
            long recoveryPoint = log.recoveryPoint();
            assertTrue(recoveryPoint >= flushedOffset, where());
            long highWatermark = log.highWatermark();
            log.close();
            io.crash(random);
            log = f.builder(CONFIG, io).recoveryPoint(recoveryPoint).logStartOffset(logStartOffset)
                    .highWatermark(highWatermark).build();
            long survivedEnd = log.logEndOffset();
            assertTrue(survivedEnd >= recoveryPoint, where() + ": flushed data up to " + recoveryPoint
                    + " must survive, the log ends at " + survivedEnd);
            if (logStartOffset > lastBoundaryAtOrBelow(survivedEnd)) {
                reference.clear();
                assertEquals(logStartOffset, survivedEnd, where() + ": restarted at the log start offset");
            } else {
                assertTrue(isBatchBoundary(survivedEnd), where() + ": " + survivedEnd + " is not a batch boundary");
                reference.removeIf(b -> b.nextOffset() > survivedEnd);
            }
            logEndOffset = survivedEnd;
            flushedOffset = survivedEnd;
            verifyEveryBatch();
        }

        private void checkOffsets() {
            assertEquals(logEndOffset, log.logEndOffset(), where());
            assertEquals(logStartOffset, log.logStartOffset(), where());
            assertTrue(log.highWatermark() >= logStartOffset && log.highWatermark() <= logEndOffset, where());
            assertTrue(log.recoveryPoint() >= flushedOffset && log.recoveryPoint() <= logEndOffset, where());
        }

        private void verifyEveryBatch() {
            long offset = logStartOffset;
            int index = indexHolding(offset);
            while (offset < logEndOffset) {
                ByteBuffer records = log.read(offset, 1, Long.MAX_VALUE, true).records();
                List<byte[]> got = split(records);
                if (got.isEmpty() || index < 0) {
                    fail(where() + ": nothing read at " + offset + " below the log end " + logEndOffset);
                }
                assertArrayEquals(reference.get(index).bytes(), got.getFirst(), where() + ": batch at " + offset);
                offset = reference.get(index).nextOffset();
                index++;
            }
            assertEquals(reference.size(), Math.max(index, 0), where() + ": the reference holds more batches");
        }

        private void dropBelow(long newStart) {
            logStartOffset = newStart;
            reference.removeIf(b -> b.nextOffset() <= newStart);
        }

        private int indexHolding(long offset) {
            for (int i = 0; i < reference.size(); i++) {
                if (reference.get(i).nextOffset() > offset) {
                    return reference.get(i).baseOffset() <= offset || i == 0 ? i : -1;
                }
            }
            return -1;
        }

        private boolean isBatchBoundary(long offset) {
            return reference.stream().anyMatch(b -> b.baseOffset() == offset || b.nextOffset() == offset)
                    || reference.isEmpty() && offset == logEndOffset;
        }

        private long lastBoundaryAtOrBelow(long offset) {
            long boundary = reference.isEmpty() ? logEndOffset : reference.getFirst().baseOffset();
            for (Batch batch : reference) {
                if (batch.nextOffset() <= offset) {
                    boundary = batch.nextOffset();
                }
            }
            return boundary;
        }
    }

    private static List<byte[]> split(ByteBuffer records) {
        List<byte[]> batches = new ArrayList<>();
        int at = records.position();
        while (at < records.limit()) {
            int size = new RecordBatch(records, at).sizeInBytes();
            byte[] bytes = new byte[size];
            records.get(at, bytes);
            batches.add(bytes);
            at += size;
        }
        assertFalse(at > records.limit());
        return batches;
    }
}
