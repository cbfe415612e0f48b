package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.record.RecordBatch;
import io.tributary.storage.testing.LogFixture;
import io.tributary.storage.testing.Seeds;
import io.tributary.storage.testing.TestBatches;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Log's thread-safety contract: one appender, concurrent readers, concurrent flushers (group
 * commit) and retention deleting segments with no delay underneath the readers. Readers only ever see
 * whole, valid batches in offset order, or an out-of-range error when retention overtook them.
 */
@Tag("integration")
class LogConcurrencyTest {

    private static final int APPENDS = 3_000;
    private static final LogConfig CONFIG = LogConfig.defaults().withOverrides(Map.of(
            "segment.bytes", "8000", "index.interval.bytes", "500", "file.delete.delay.ms", "0",
            "retention.bytes", "40000"));

    @TempDir
    Path tmp;

    @Test
    void readersFlushersAndRetentionRunAlongsideTheAppender() throws Exception {
        long seed = Seeds.seed("LogConcurrencyTest");
        LogFixture f = new LogFixture(tmp);
        Map<Long, byte[]> appended = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger batchesRead = new AtomicInteger();
        try (Log log = f.open(CONFIG); ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Callable<Void>> tasks = new ArrayList<>();
            tasks.add(() -> appendAll(log, f, new SplittableRandom(seed), appended, done));
            for (int i = 1; i <= 2; i++) {
                SplittableRandom random = new SplittableRandom(seed + i);
                tasks.add(() -> readUntilDone(log, random, appended, done, batchesRead));
                tasks.add(() -> flushUntilDone(log, done));
            }
            tasks.add(() -> applyRetentionUntilDone(log, f, done));
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<Void> future : futures) {
                future.get();
            }
            assertEquals(log.logEndOffset(), log.flush());
            assertTrue(batchesRead.get() > 0, "readers made progress");
        }
    }

    private static Void appendAll(Log log, LogFixture f, SplittableRandom random, Map<Long, byte[]> appended,
            AtomicBoolean done) {
        try {
            for (int i = 0; i < APPENDS; i++) {
                long base = log.logEndOffset();
                ByteBuffer batch = TestBatches.batch(base, 1 + random.nextInt(4), f.time.milliseconds(),
                        f.time.milliseconds(), 0, random.nextInt(300), random.nextLong());
                appended.put(base, TestBatches.bytes(batch));
                log.append(batch);
            }
        } finally {
            done.set(true);
        }
        return null;
    }

    private static Void readUntilDone(Log log, SplittableRandom random, Map<Long, byte[]> appended,
            AtomicBoolean done, AtomicInteger batchesRead) {
        while (!done.get()) {
            long start = log.logStartOffset();
            long end = log.logEndOffset();
            long offset = start + random.nextLong(end - start + 1);
            ByteBuffer records;
            try {
                records = log.read(offset, random.nextInt(5_000), Long.MAX_VALUE, random.nextBoolean()).records();
            } catch (OffsetOutOfRangeException e) {
                assertTrue(offset < log.logStartOffset(), "out of range only when retention moved past " + offset);
                continue;
            }
            long previousLast = Long.MIN_VALUE;
            for (int at = records.position(); at < records.limit(); ) {
                RecordBatch batch = new RecordBatch(records, at);
                batch.ensureValid();
                assertTrue(batch.baseOffset() > previousLast, "offsets increase");
                assertTrue(previousLast != Long.MIN_VALUE || batch.lastOffset() >= offset, "starts at the offset");
                byte[] bytes = new byte[batch.sizeInBytes()];
                records.get(at, bytes);
                assertArrayEquals(appended.get(batch.baseOffset()), bytes);
                previousLast = batch.lastOffset();
                at += batch.sizeInBytes();
                batchesRead.incrementAndGet();
            }
        }
        return null;
    }

    private static Void flushUntilDone(Log log, AtomicBoolean done) {
        long previous = 0;
        while (!done.get()) {
            long appendedBefore = log.logEndOffset();
            long recoveryPoint = log.flush();
            assertTrue(recoveryPoint >= appendedBefore, "a flush covers everything appended before it began");
            assertTrue(recoveryPoint >= previous, "the recovery point never goes back");
            previous = recoveryPoint;
        }
        return null;
    }

    private static Void applyRetentionUntilDone(Log log, LogFixture f, AtomicBoolean done) {
        while (!done.get()) {
            log.updateHighWatermark(log.logEndOffset());
            log.deleteOldSegments();
            f.scheduler.runDueTasks();
        }
        return null;
    }
}
