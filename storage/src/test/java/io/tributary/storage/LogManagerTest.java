package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.MockTime;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.StorageException;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.io.FileIo;
import io.tributary.storage.testing.MockScheduler;
import io.tributary.storage.testing.TestBatches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log manager (DESIGN.md §3): directory metadata, placement, checkpoints, clean and unclean
 * restarts, deletion and the scheduled background work.
 */
@Tag("integration")
class LogManagerTest {

    private static final TopicPartition T0 = new TopicPartition("events", 0);
    private static final TopicPartition T1 = new TopicPartition("events", 1);
    private static final int PAYLOAD = 100;
    private static final LogConfig CONFIG = LogConfig.defaults().withOverrides(Map.of(
            "segment.bytes", "2000", "file.delete.delay.ms", "1000", "index.interval.bytes", "200"));

    @TempDir
    Path tmp;

    private final MockTime time = new MockTime();
    private final MockScheduler scheduler = new MockScheduler(time);

    private LogManager manager(List<Path> dirs) {
        return manager(dirs, LogManagerConfig.defaults("cluster-1", 1));
    }

    private LogManager manager(List<Path> dirs, LogManagerConfig managerConfig) {
        return new LogManager(dirs, CONFIG, tp -> Optional.empty(), time, scheduler, FileIo.system(), managerConfig);
    }

    private static List<ByteBuffer> append(Log log, int batches) {
        List<ByteBuffer> appended = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            ByteBuffer batch = TestBatches.batch(log.logEndOffset(), 2, System.nanoTime() % 1000, 0, PAYLOAD);
            log.append(batch.duplicate());
            appended.add(batch);
        }
        return appended;
    }

    private static List<byte[]> readAll(Log log) {
        List<byte[]> batches = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            ByteBuffer records = log.read(offset, 1, Long.MAX_VALUE, true).records();
            batches.add(TestBatches.bytes(records));
            offset = TestBatches.baseOffsets(records).getFirst() + 2;
        }
        return batches;
    }

    @Test
    void startupCreatesDirectoryMetadataAndLogsArePlacedOnTheLeastLoadedDirectory() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (LogManager manager = manager(List.of(a, b))) {
            manager.startup();
            assertFalse(manager.hadCleanShutdown(), "fresh directories have no marker");
            assertTrue(Files.readString(a.resolve("meta.properties")).contains("cluster.id=cluster-1"));
            Log first = manager.getOrCreateLog(T0, "topic-id-1", CONFIG);
            Log second = manager.getOrCreateLog(T1, "topic-id-1", CONFIG);
            assertEquals(a.resolve("events-0"), first.dir());
            assertEquals(b.resolve("events-1"), second.dir());
            assertEquals("version: 0\ntopic_id: topic-id-1\n",
                    Files.readString(first.dir().resolve("partition.metadata")));
            assertEquals(first, manager.getOrCreateLog(T0, "topic-id-1", CONFIG));
            assertThrows(IllegalStateException.class, () -> manager.getOrCreateLog(T0, "another-topic-id", CONFIG));
            assertEquals(2, manager.allLogs().size());
            assertEquals(Optional.of(second), manager.getLog(T1));
        }
    }

    @Test
    void aCleanShutdownCheckpointsEverythingAndTheNextStartupSkipsRecovery() throws IOException {
        Path dir = tmp.resolve("data");
        List<ByteBuffer> appended;
        try (LogManager manager = manager(List.of(dir))) {
            manager.startup();
            Log log = manager.getOrCreateLog(T0, "id", CONFIG);
            appended = append(log, 30);
            log.updateHighWatermark(40);
            log.maybeIncrementLogStartOffset(6);
        }
        assertTrue(Files.exists(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)));
        assertEquals("0\n1\nevents 0 60\n", Files.readString(dir.resolve("recovery-point-offset-checkpoint")));
        assertEquals("0\n1\nevents 0 40\n", Files.readString(dir.resolve("replication-offset-checkpoint")));
        assertEquals("0\n1\nevents 0 6\n", Files.readString(dir.resolve("log-start-offset-checkpoint")));
        // A flipped bit in the active segment: a clean startup must not scan (or truncate) it.
        Path active = lastLogFile(dir.resolve("events-0"));
        byte[] bytes = Files.readAllBytes(active);
        bytes[bytes.length - 5] ^= 1;
        Files.write(active, bytes);
        try (LogManager manager = manager(List.of(dir))) {
            manager.startup();
            assertTrue(manager.hadCleanShutdown());
            assertFalse(Files.exists(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)), "the marker is consumed");
            Log log = manager.getLog(T0).orElseThrow();
            assertEquals(60, log.logEndOffset(), "no recovery scan ran");
            assertEquals(40, log.highWatermark());
            assertEquals(6, log.logStartOffset());
            assertEquals(60, log.recoveryPoint());
            assertArrayEquals(TestBatches.bytes(appended.get(10)), readAll(log).get(7));
        }
    }

    @Test
    void afterACrashLogsAreRecoveredFromTheirRecoveryPoints() throws IOException {
        Path dir = tmp.resolve("data");
        LogManager crashed = manager(List.of(dir));
        crashed.startup();
        Log log = crashed.getOrCreateLog(T0, "id", CONFIG);
        append(log, 20);
        log.flush();
        long recoveryPoint = log.recoveryPoint();
        scheduler.runDueTasks();
        crashed.checkpoint();
        append(log, 5);
        // The process dies: no shutdown, no marker. Below the recovery point nothing is re-validated...
        crashed.allLogs().forEach(Log::close);
        Path dataDir = dir.resolve("events-0");
        Path firstSegment = dataDir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX));
        byte[] old = Files.readAllBytes(firstSegment);
        old[100] ^= 1;
        Files.write(firstSegment, old);
        // ...while the unflushed tail above it is: it lost its last 30 bytes.
        Path active = lastLogFile(dataDir);
        try (var channel = java.nio.channels.FileChannel.open(active, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 30);
        }
        try (LogManager manager = manager(List.of(dir))) {
            manager.startup();
            assertFalse(manager.hadCleanShutdown());
            Log recovered = manager.getLog(T0).orElseThrow();
            assertEquals(40, recoveryPoint);
            assertEquals(48, recovered.logEndOffset(), "the torn last batch is gone, the rest kept");
            assertEquals(48, recovered.recoveryPoint());
            assertEquals(24, readAll(recovered).size());
        }
    }

    @Test
    void corruptHighWatermarkCheckpointFailsStartupLoudly() throws IOException {
        Path dir = tmp.resolve("data");
        try (LogManager manager = manager(List.of(dir))) {
            manager.startup();
            append(manager.getOrCreateLog(T0, "id", CONFIG), 2);
        }
        Files.writeString(dir.resolve("replication-offset-checkpoint"), "0\n1\nevents 0 x\n");
        LogManager manager = manager(List.of(dir));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, manager::startup);
        assertTrue(e.getMessage().contains("replication-offset-checkpoint") && e.getMessage().contains("line 3"),
                e.getMessage());
        manager.shutdown();
        assertTrue(Files.exists(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)),
                "a failed startup neither consumes nor rewrites the marker");
        assertEquals("0\n1\nevents 0 x\n", Files.readString(dir.resolve("replication-offset-checkpoint")),
                "nor overwrites the evidence");
    }

    @Test
    void aDirectoryOfAnotherNodeIsRefused() {
        Path dir = tmp.resolve("data");
        try (LogManager manager = manager(List.of(dir))) {
            manager.startup();
        }
        LogManager other = manager(List.of(dir), LogManagerConfig.defaults("cluster-1", 2));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, other::startup);
        assertTrue(e.getMessage().contains("node 1"), e.getMessage());
    }

    @Test
    void deletedLogsAreRenamedThenRemovedAfterTheDelay() throws IOException {
        Path dir = tmp.resolve("data");
        try (LogManager manager = manager(List.of(dir))) {
            manager.startup();
            append(manager.getOrCreateLog(T0, "id", CONFIG), 3);
            manager.deleteLog(T0);
            assertEquals(Optional.empty(), manager.getLog(T0));
            List<String> names = childNames(dir);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("events-0.") && n.endsWith("-delete")),
                    names.toString());
            manager.checkpoint();
            assertEquals("0\n0\n", Files.readString(dir.resolve("recovery-point-offset-checkpoint")));
            scheduler.advance(1_000);
            assertFalse(childNames(dir).stream().anyMatch(n -> n.endsWith("-delete")));
            manager.deleteLog(T0);
        }
    }

    @Test
    void deletingALogRewritesTheCheckpointsSoARecreatedLogInheritsNothing() throws IOException {
        Path dir = tmp.resolve("data");
        try (LogManager manager = manager(List.of(dir))) {
            manager.startup();
            Log log = manager.getOrCreateLog(T0, "old-id", CONFIG);
            log.append(TestBatches.batch(0, 5, time.milliseconds(), 0, PAYLOAD));
            log.flush();
            manager.checkpoint();
            assertTrue(Files.readString(dir.resolve("recovery-point-offset-checkpoint")).contains("events 0 5"));
            manager.deleteLog(T0);
            assertFalse(Files.readString(dir.resolve("recovery-point-offset-checkpoint")).contains("events 0"),
                    "the deleted log must leave the checkpoints at once, not at the next periodic write");
        }
    }

    @Test
    void noLogCanBeCreatedOnceTheManagerIsShutDown() {
        LogManager manager = manager(List.of(tmp.resolve("data")));
        assertThrows(IllegalStateException.class, () -> manager.getOrCreateLog(T0, "id", CONFIG));
        manager.startup();
        manager.shutdown();
        assertThrows(IllegalStateException.class, () -> manager.getOrCreateLog(T0, "id", CONFIG));
    }

    @Test
    void aCheckpointOutsideTheRunningManagerFailsRatherThanDoingNothing() {
        LogManager manager = manager(List.of(tmp.resolve("data")));
        StorageException early = assertThrows(StorageException.class, manager::checkpoint);
        assertEquals("the checkpoints cannot be written: the log manager is not started", early.getMessage());
        manager.startup();
        manager.checkpoint();
        manager.shutdown();
        StorageException late = assertThrows(StorageException.class, manager::checkpoint);
        assertEquals("the checkpoints cannot be written: the log manager is shut down", late.getMessage());
    }

    @Test
    void aLogStartOffsetCheckpointWritesOnlyThatFileOfTheDirectoriesHoldingThePartitions() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (LogManager manager = manager(List.of(a, b))) {
            manager.startup();
            Log first = manager.getOrCreateLog(T0, "id", CONFIG);
            Log second = manager.getOrCreateLog(T1, "id", CONFIG);
            assertEquals(a, first.dir().getParent());
            for (Log log : List.of(first, second)) {
                append(log, 5);
                log.updateHighWatermark(10);
                log.maybeIncrementLogStartOffset(4);
            }
            manager.checkpointLogStartOffsets(List.of(T0));
            assertEquals("0\n1\nevents 0 4\n", Files.readString(a.resolve("log-start-offset-checkpoint")));
            assertFalse(contentOrEmpty(a.resolve("recovery-point-offset-checkpoint")).contains("events"),
                    "the recovery points are not rewritten");
            assertFalse(contentOrEmpty(a.resolve("replication-offset-checkpoint")).contains("events"),
                    "the high watermarks are not rewritten");
            assertFalse(contentOrEmpty(b.resolve("log-start-offset-checkpoint")).contains("events"),
                    "a directory without the partition is not written");
        }
    }

    @Test
    void aLogStartOffsetCheckpointOutsideTheRunningManagerFails() {
        LogManager manager = manager(List.of(tmp.resolve("data")));
        StorageException early = assertThrows(StorageException.class,
                () -> manager.checkpointLogStartOffsets(List.of(T0)));
        assertEquals("the log-start-offset checkpoints cannot be written: the log manager is not started",
                early.getMessage());
        manager.startup();
        manager.shutdown();
        StorageException late = assertThrows(StorageException.class,
                () -> manager.checkpointLogStartOffsets(List.of(T0)));
        assertEquals("the log-start-offset checkpoints cannot be written: the log manager is shut down",
                late.getMessage());
    }

    private static String contentOrEmpty(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void retentionWaitsUntilTheBackgroundTasksAreStarted() throws IOException {
        LogConfig expiring = CONFIG.withOverrides(Map.of("retention.ms", "1000"));
        LogManagerConfig intervals = new LogManagerConfig("cluster-1", 1, 1, 10_000, 1_000, 30_000);
        try (LogManager manager = manager(List.of(tmp.resolve("data")), intervals)) {
            manager.startup();
            Log log = manager.getOrCreateLog(T0, "id", expiring);
            for (int i = 0; i < 20; i++) {
                log.append(TestBatches.batch(log.logEndOffset(), 2, time.milliseconds(), 0, PAYLOAD));
            }
            log.updateHighWatermark(log.logEndOffset());
            int segments = log.numberOfSegments();
            assertTrue(segments > 1);
            scheduler.advance(60_000);
            assertEquals(segments, log.numberOfSegments(), "no retention before startBackgroundTasks");
            manager.startBackgroundTasks();
            scheduler.advance(10_000);
            assertEquals(1, log.numberOfSegments(), "retention runs once the tasks are started");
            assertThrows(IllegalStateException.class, manager::startBackgroundTasks);
        }
    }

    @Test
    void backgroundTasksRunRetentionFlushAndCheckpointsOnSchedule() throws IOException {
        Path dir = tmp.resolve("data");
        LogConfig expiring = CONFIG.withOverrides(Map.of("retention.ms", "1000", "flush.ms", "5000"));
        LogManagerConfig intervals = new LogManagerConfig("cluster-1", 1, 1, 10_000, 1_000, 30_000);
        try (LogManager manager = manager(List.of(dir), intervals)) {
            manager.startup();
            manager.startBackgroundTasks();
            Log log = manager.getOrCreateLog(T0, "id", expiring);
            for (int i = 0; i < 20; i++) {
                log.append(TestBatches.batch(log.logEndOffset(), 2, time.milliseconds(), 0, PAYLOAD));
            }
            log.updateHighWatermark(log.logEndOffset());
            assertTrue(log.numberOfSegments() > 1);
            scheduler.runDueTasks();
            assertEquals(40, log.recoveryPoint(), "a roll schedules a flush right away");
            log.append(TestBatches.batch(log.logEndOffset(), 2, time.milliseconds(), 0, PAYLOAD));
            scheduler.advance(4_999);
            assertEquals(40, log.recoveryPoint(), "flush.ms=5000 not yet elapsed");
            scheduler.advance(1);
            assertEquals(42, log.recoveryPoint(), "flush.ms elapsed");
            scheduler.advance(5_000);
            assertEquals(1, log.numberOfSegments(), "retention ran after 10 s and kept only the active segment");
            scheduler.advance(20_000);
            assertEquals("0\n1\nevents 0 " + log.logStartOffset() + "\n",
                    Files.readString(dir.resolve("log-start-offset-checkpoint")));
        }
    }

    @Test
    void leftoverDeleteDirectoriesAndTempFilesAreCleanedAtStartup() throws IOException {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir.resolve("events-3.0123456789abcdef-delete"));
        Files.writeString(dir.resolve("events-3.0123456789abcdef-delete").resolve("00000000000000000000.log"), "x");
        Files.writeString(dir.resolve("replication-offset-checkpoint.tmp"), "half written");
        Files.createDirectories(dir.resolve("lost+found"));
        try (LogManager manager = manager(List.of(dir))) {
            manager.startup();
            scheduler.runDueTasks();
            assertEquals(List.of("log-start-offset-checkpoint", "lost+found", "meta.properties",
                    "recovery-point-offset-checkpoint", "replication-offset-checkpoint"), childNames(dir));
            assertEquals(0, manager.allLogs().size());
        }
    }

    private static List<String> childNames(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Path lastLogFile(Path partitionDir) throws IOException {
        try (Stream<Path> children = Files.list(partitionDir)) {
            return children.filter(p -> p.toString().endsWith(".log")).sorted().toList().getLast();
        }
    }
}
