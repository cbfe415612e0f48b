package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.MockTime;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.io.FileIo;
import io.tributary.storage.testing.FaultyFileIo;
import io.tributary.storage.testing.LogFixture;
import io.tributary.storage.testing.MockScheduler;
import io.tributary.storage.testing.Seeds;
import io.tributary.storage.testing.TestBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk failures (DESIGN.md §3, STYLE.md lessons 4 and 10): a failed write, fsync or index write takes
 * the whole log directory offline for good, nothing is retried, and recovery repairs what a torn or
 * partial write left behind.
 */
@Tag("integration")
class LogDirFailureTest {

    private static final int PAYLOAD = 100;
    private static final int BATCH_BYTES = 61 + PAYLOAD;
    private static final LogConfig CONFIG = LogConfig.defaults().withOverrides(Map.of("segment.bytes", "100000"));

    @TempDir
    Path tmp;

    private final MockTime time = new MockTime();
    private final MockScheduler scheduler = new MockScheduler(time);

    private void append(Log log, int batches) {
        for (int i = 0; i < batches; i++) {
            log.append(TestBatches.batch(log.logEndOffset(), 2, time.milliseconds(), 0, PAYLOAD));
        }
    }

    @Test
    void aFailedFsyncTakesTheWholeDirectoryOfflineAndIsNeverRetried() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        FaultyFileIo io = new FaultyFileIo();
        List<Path> failures = new CopyOnWriteArrayList<>();
        try (LogManager manager = new LogManager(List.of(a, b), CONFIG, tp -> Optional.empty(), time, scheduler, io,
                LogManagerConfig.defaults("c", 1))) {
            manager.addLogDirFailureListener(failures::add);
            manager.startup();
            Log onA = manager.getOrCreateLog(new TopicPartition("t", 0), "id", CONFIG);
            Log onB = manager.getOrCreateLog(new TopicPartition("t", 1), "id", CONFIG);
            Log alsoOnA = manager.getOrCreateLog(new TopicPartition("t", 2), "id", CONFIG);
            append(onA, 3);
            append(alsoOnA, 3);
            io.failNext(FaultyFileIo.Op.FORCE, ".log");
            StorageException failed = assertThrows(StorageException.class, onA::flush);
            assertTrue(failed.getMessage().contains(a.toString()), failed.getMessage());
            assertEquals(List.of(a), failures);
            assertEquals(Set.of(a), manager.offlineLogDirs());
            int forces = io.count(FaultyFileIo.Op.FORCE);
            StorageException again = assertThrows(StorageException.class, onA::flush);
            assertTrue(again.getMessage().contains("offline"), again.getMessage());
            assertThrows(StorageException.class, alsoOnA::flush);
            assertThrows(StorageException.class, () -> append(onA, 1));
            assertThrows(StorageException.class, () -> alsoOnA.read(0, 1_000, Long.MAX_VALUE, true));
            assertThrows(StorageException.class, alsoOnA::deleteOldSegments);
            assertEquals(forces, io.count(FaultyFileIo.Op.FORCE), "no fsync is ever retried in an offline directory");
            assertEquals(0, onA.recoveryPoint(), "the recovery point never claims the failed fsync");
            append(onB, 2);
            assertEquals(4, onB.flush(), "the other directory is unaffected");
            Log created = manager.getOrCreateLog(new TopicPartition("t", 3), "id", CONFIG);
            assertEquals(b, created.dir().getParent(), "new logs avoid the offline directory");
            assertEquals(List.of(a), failures, "listeners hear about a directory once");
        }
        assertFalse(Files.exists(a.resolve(LogManager.CLEAN_SHUTDOWN_FILE)), "an offline directory gets recovered");
        assertTrue(Files.exists(b.resolve(LogManager.CLEAN_SHUTDOWN_FILE)));
    }

    @Test
    void seededRandomFaultsNeverCostAcknowledgedAndFlushedData() throws IOException {
        long seed = Seeds.seed("seededRandomFaultsNeverCostAcknowledgedAndFlushedData");
        SplittableRandom random = new SplittableRandom(seed);
        LogConfig smallSegments = CONFIG.withOverrides(Map.of("segment.bytes", "1500", "index.interval.bytes", "200"));
        for (int round = 0; round < 10; round++) {
            LogFixture f = new LogFixture(tmp.resolve("round-" + round), time);
            FaultyFileIo io = new FaultyFileIo().randomFaults(new SplittableRandom(random.nextLong()), 0.02,
                    FaultyFileIo.Op.WRITE, FaultyFileIo.Op.FORCE, FaultyFileIo.Op.MAP, FaultyFileIo.Op.TRUNCATE);
            List<byte[]> attempted = new ArrayList<>();
            long flushed = 0;
            long acknowledged = 0;
            Log log = null;
            try {
                log = f.builder(smallSegments, io).build();
                while (true) {
                    ByteBuffer batch = TestBatches.batch(log.logEndOffset(), 1, time.milliseconds(), 0,
                            random.nextInt(300));
                    attempted.add(TestBatches.bytes(batch));
                    log.append(batch);
                    acknowledged = log.logEndOffset();
                    if (random.nextInt(4) == 0) {
                        flushed = log.flush();
                    }
                }
            } catch (StorageException e) {
                assertTrue(log == null || !log.isOnline(), "a failure takes the directory offline");
            } finally {
                closeQuietly(log);
            }
            io.heal();
            io.crash(random);
            String context = "seed " + seed + ", round " + round;
            try (Log recovered = f.builder(smallSegments, io).recoveryPoint(flushed).build()) {
                long end = recovered.logEndOffset();
                assertTrue(end >= flushed, context + ": flushed " + flushed + " but recovered only " + end);
                assertTrue(end <= acknowledged + 1, context + ": at most the failed append survives");
                for (long offset = 0; offset < end; offset++) {
                    ByteBuffer read = recovered.read(offset, 1, Long.MAX_VALUE, true).records();
                    assertArrayEquals(attempted.get((int) offset), TestBatches.bytes(read),
                            context + ", offset " + offset);
                }
            }
        }
    }

    private static void closeQuietly(Log log) {
        if (log != null) {
            try {
                log.close();
            } catch (StorageException e) {
                assertFalse(log.isOnline());
            }
        }
    }

    @Test
    void aTornWriteIsCutOffByRecoveryAfterRestart() throws IOException {
        LogFixture f = new LogFixture(tmp, time);
        FaultyFileIo io = new FaultyFileIo();
        Path logFile = f.dir.resolve("00000000000000000000.log");
        try (Log log = f.builder(CONFIG, io).build()) {
            append(log, 5);
            io.tearNextWrite(".log", 30);
            assertThrows(StorageException.class, () -> append(log, 1));
            assertEquals(10, log.logEndOffset(), "the failed append is not acknowledged");
            assertEquals(5L * BATCH_BYTES + 30, Files.size(logFile), "only a prefix reached the file");
            assertFalse(log.isOnline());
        }
        try (Log log = f.builder(CONFIG, FileIo.system()).build()) {
            assertEquals(10, log.logEndOffset());
            assertEquals(5L * BATCH_BYTES, Files.size(logFile));
            append(log, 1);
            assertEquals(List.of(10L), TestBatches.baseOffsets(log.read(10, 1_000, Long.MAX_VALUE, true).records()));
        }
    }

    @Test
    void aFullDiskFailsTheAppendAndRecoveryDropsThePartialBatch() throws IOException {
        LogFixture f = new LogFixture(tmp, time);
        FaultyFileIo io = new FaultyFileIo();
        try (Log log = f.builder(CONFIG, io).build()) {
            append(log, 2);
            io.diskFullAfter(BATCH_BYTES + 50);
            append(log, 1);
            StorageException full = assertThrows(StorageException.class, () -> append(log, 1));
            assertTrue(full.getMessage().contains("no space left on device"), full.getMessage());
        }
        try (Log log = f.builder(CONFIG, FileIo.system()).build()) {
            assertEquals(6, log.logEndOffset());
        }
    }

    @Test
    void aFailedIndexMappingDuringARollTakesTheDirectoryOffline() {
        LogFixture f = new LogFixture(tmp, time);
        FaultyFileIo io = new FaultyFileIo();
        try (Log log = f.builder(CONFIG, io).build()) {
            append(log, 2);
            io.failNext(FaultyFileIo.Op.MAP, ".index");
            assertThrows(StorageException.class, log::roll);
            assertThrows(StorageException.class, () -> append(log, 1));
        }
    }

    @Test
    void aFailedCheckpointWriteTakesItsDirectoryOffline() throws IOException {
        Path dir = tmp.resolve("data");
        FaultyFileIo io = new FaultyFileIo();
        try (LogManager manager = new LogManager(List.of(dir), CONFIG, tp -> Optional.empty(), time, scheduler, io,
                LogManagerConfig.defaults("c", 1))) {
            manager.startup();
            Log log = manager.getOrCreateLog(new TopicPartition("t", 0), "id", CONFIG);
            append(log, 1);
            io.failNext(FaultyFileIo.Op.FORCE, ".tmp");
            manager.checkpoint();
            assertEquals(Set.of(dir), manager.offlineLogDirs());
            assertThrows(StorageException.class, () -> append(log, 1));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().equals(LogManager.CLEAN_SHUTDOWN_FILE)));
        }
    }
}
