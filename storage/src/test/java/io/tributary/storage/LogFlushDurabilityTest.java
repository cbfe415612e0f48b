package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.MockTime;
import io.tributary.common.TopicPartition;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.testing.LogFixture;
import io.tributary.storage.testing.MockScheduler;
import io.tributary.storage.testing.SyncRecordingFileIo;
import io.tributary.storage.testing.SyncRecordingFileIo.Event;
import io.tributary.storage.testing.SyncRecordingFileIo.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a flush forces, and when (DESIGN.md §3, "Recovery"): a flush fsyncs only the active segment's
 * {@code .log}, because recovery rebuilds the indexes of every segment it re-scans, and the active one
 * is always re-scanned. A rolled segment S is skipped by recovery once the recovery point exceeds the
 * next segment's base offset, so S's final (trimmed) indexes must be forced before that; and a clean
 * shutdown, after which nothing is re-scanned, must force the active segment's indexes before its marker.
 */
@Tag("unit")
class LogFlushDurabilityTest {

    private static final int PAYLOAD = 100;
    private static final String LOG_0 = LogSegment.fileName(0, LogSegment.LOG_SUFFIX);
    private static final String INDEX_0 = LogSegment.fileName(0, LogSegment.INDEX_SUFFIX);
    private static final String TIME_INDEX_0 = LogSegment.fileName(0, LogSegment.TIME_INDEX_SUFFIX);

    @TempDir
    Path tmp;

    /** Segments of about four batches, an index entry for every batch after the first. */
    private static LogConfig config() {
        return LogFixture.config(Map.of("segment.bytes", "1000", "index.interval.bytes", "1",
                "file.delete.delay.ms", "0"));
    }

    private static boolean isIndex(String fileName) {
        return fileName.endsWith(LogSegment.INDEX_SUFFIX) || fileName.endsWith(LogSegment.TIME_INDEX_SUFFIX);
    }

    /** Appends batches until the log rolls; returns the new active segment's base offset. */
    private static long appendUntilRoll(LogFixture f, Log log) {
        int segments = log.numberOfSegments();
        while (log.numberOfSegments() == segments) {
            f.append(log, 2, PAYLOAD);
        }
        return log.logEndOffset() - 2;
    }

    /** Position of the last event of {@code kind} on {@code fileName}, or -1. */
    private static int lastIndexOf(List<Event> events, Kind kind, String fileName) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).kind() == kind && events.get(i).fileName().equals(fileName)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Asserts that {@code indexFile} was fsynced after its last truncation (the trim at roll or close),
     * at a moment when the sampled recovery point was still at most {@code maxRecoveryPoint}.
     */
    private static void assertForcedAfterTrim(List<Event> events, String indexFile, long maxRecoveryPoint) {
        int trimmed = lastIndexOf(events, Kind.TRUNCATE, indexFile);
        int forced = lastIndexOf(events, Kind.FSYNC, indexFile);
        assertTrue(trimmed >= 0, indexFile + " was never trimmed: " + events);
        assertTrue(forced > trimmed, indexFile + " was not fsynced after its trim: " + events);
        assertTrue(events.get(forced).sample() <= maxRecoveryPoint, indexFile + " was fsynced only after the "
                + "recovery point passed " + maxRecoveryPoint + ": " + events.get(forced));
    }

    @Test
    void flushingOnlyTheActiveSegmentFsyncsOnlyItsLogFile() {
        LogFixture f = new LogFixture(tmp);
        SyncRecordingFileIo io = new SyncRecordingFileIo();
        try (Log log = f.builder(config(), io).build()) {
            f.append(log, 2, PAYLOAD);
            f.append(log, 2, PAYLOAD);
            f.append(log, 2, PAYLOAD);
            assertEquals(1, log.numberOfSegments());
            int mark = io.mark();
            assertEquals(6, log.flush());
            assertEquals(List.of(new Event(Kind.FSYNC, LOG_0, -1)), io.eventsSince(mark),
                    "one fsync of the .log, no msync or fsync of the active segment's indexes");

            f.append(log, 2, PAYLOAD);
            mark = io.mark();
            assertEquals(8, log.flush());
            assertEquals(List.of(new Event(Kind.FSYNC, LOG_0, -1)), io.eventsSince(mark));
        }
    }

    @Test
    void aRolledSegmentsIndexesAreForcedBeforeTheRecoveryPointPassesTheNextSegmentsBase() {
        LogFixture f = new LogFixture(tmp);
        SyncRecordingFileIo io = new SyncRecordingFileIo();
        try (Log log = f.builder(config(), io).build()) {
            io.sample(log::recoveryPoint);
            f.append(log, 2, PAYLOAD);
            f.append(log, 2, PAYLOAD);
            int mark = io.mark();
            assertEquals(4, log.flush());
            assertTrue(io.eventsSince(mark).stream().noneMatch(e -> isIndex(e.fileName())),
                    "the active segment's indexes are left to recovery: " + io.eventsSince(mark));

            long secondBase = appendUntilRoll(f, log);
            assertTrue(log.recoveryPoint() < secondBase, "the flush covered segment 0 only partly");
            f.append(log, 2, PAYLOAD);
            long end = log.logEndOffset();
            assertEquals(end, log.flush());
            assertTrue(log.recoveryPoint() > secondBase);

            List<Event> events = io.events();
            assertForcedAfterTrim(events, INDEX_0, secondBase);
            assertForcedAfterTrim(events, TIME_INDEX_0, secondBase);
            String secondLog = LogSegment.fileName(secondBase, LogSegment.LOG_SUFFIX);
            assertTrue(lastIndexOf(events, Kind.FSYNC, secondLog) >= 0, "the new segment's data was fsynced");
            assertTrue(lastIndexOf(events, Kind.DIR_FSYNC, log.dir().getFileName().toString()) >= 0,
                    "the new segment's directory entry was made durable");
            assertEquals(-1, lastIndexOf(events, Kind.FSYNC, LogSegment.fileName(secondBase, LogSegment.INDEX_SUFFIX)));
            assertEquals(-1, lastIndexOf(events, Kind.MSYNC, LogSegment.fileName(secondBase, LogSegment.INDEX_SUFFIX)));
        }
    }

    @Test
    void aSegmentWhoseDataWasFlushedWhileActiveGetsItsIndexesForcedByTheFirstFlushAfterTheRoll() {
        LogFixture f = new LogFixture(tmp);
        SyncRecordingFileIo io = new SyncRecordingFileIo();
        try (Log log = f.builder(config(), io).build()) {
            io.sample(log::recoveryPoint);
            f.append(log, 2, PAYLOAD);
            f.append(log, 2, PAYLOAD);
            f.append(log, 2, PAYLOAD);
            long secondBase = log.flush();
            log.roll();
            assertEquals(2, log.numberOfSegments());
            f.append(log, 2, PAYLOAD);
            // The background flush scheduled by the roll has not run (mock scheduler): the next flush
            // starts at the recovery point, i.e. covers only the new segment's .log.
            int mark = io.mark();
            assertEquals(secondBase + 2, log.flush());

            List<Event> flushed = io.eventsSince(mark);
            assertTrue(flushed.stream().noneMatch(e -> e.fileName().equals(LOG_0)),
                    "segment 0's data was already durable: " + flushed);
            assertForcedAfterTrim(io.events(), INDEX_0, secondBase);
            assertForcedAfterTrim(io.events(), TIME_INDEX_0, secondBase);
            assertTrue(flushed.stream().anyMatch(e -> e.fileName().equals(INDEX_0) && e.kind() == Kind.FSYNC));

            mark = io.mark();
            f.append(log, 2, PAYLOAD);
            log.flush();
            assertTrue(io.eventsSince(mark).stream().noneMatch(e -> isIndex(e.fileName())),
                    "forced once, not at every flush: " + io.eventsSince(mark));
        }
    }

    @Test
    void aRolledSegmentDeletedBeforeItsIndexesWereForcedDoesNotFailTheNextFlush() {
        LogFixture f = new LogFixture(tmp);
        SyncRecordingFileIo io = new SyncRecordingFileIo();
        try (Log log = f.builder(config(), io).build()) {
            f.append(log, 2, PAYLOAD);
            f.append(log, 2, PAYLOAD);
            long secondBase = log.flush();
            log.roll();
            log.updateHighWatermark(secondBase);
            log.maybeIncrementLogStartOffset(secondBase);
            assertEquals(1, log.deleteOldSegments());
            // Runs the roll's background flush (nothing to do: the recovery point is at the roll) and the
            // deletion (delay 0), which closes segment 0 and removes its files.
            f.scheduler.runDueTasks();
            assertFalse(Files.exists(f.dir.resolve(LOG_0 + LogSegment.DELETED_SUFFIX)));

            f.append(log, 2, PAYLOAD);
            assertEquals(secondBase + 2, log.flush());
            assertTrue(log.isOnline());
        }
    }

    @Test
    void aTruncationIsDurableBeforeItReturns() {
        LogFixture f = new LogFixture(tmp);
        SyncRecordingFileIo io = new SyncRecordingFileIo();
        try (Log log = f.builder(config(), io).build()) {
            long secondBase = appendUntilRoll(f, log);
            f.append(log, 2, PAYLOAD);
            log.flush();
            int mark = io.mark();
            log.truncateTo(secondBase - 2);
            List<Event> events = io.eventsSince(mark);
            int truncated = events.indexOf(new Event(Kind.TRUNCATE, LOG_0, -1));
            int synced = events.indexOf(new Event(Kind.FSYNC, LOG_0, -1));
            assertTrue(truncated >= 0 && synced > truncated, "the shortened .log is fsynced after the cut: " + events);
            int lastMove = -1;
            int dirSynced = -1;
            for (int i = 0; i < events.size(); i++) {
                lastMove = events.get(i).kind() == Kind.MOVE ? i : lastMove;
                dirSynced = events.get(i).kind() == Kind.DIR_FSYNC ? i : dirSynced;
            }
            assertTrue(lastMove >= 0 && dirSynced > lastMove,
                    "the directory is fsynced after the dropped segment was renamed away: " + events);
        }
    }

    @Test
    void truncationBackIntoARolledSegmentLeavesFlushWorking() {
        LogFixture f = new LogFixture(tmp);
        SyncRecordingFileIo io = new SyncRecordingFileIo();
        try (Log log = f.builder(config(), io).build()) {
            io.sample(log::recoveryPoint);
            long secondBase = appendUntilRoll(f, log);
            appendUntilRoll(f, log);
            assertEquals(3, log.numberOfSegments());
            log.truncateTo(secondBase - 2);
            assertEquals(1, log.numberOfSegments());
            f.scheduler.runDueTasks();
            f.append(log, 2, PAYLOAD);
            assertEquals(secondBase, log.flush());
            long fourthBase = appendUntilRoll(f, log);
            f.append(log, 2, PAYLOAD);
            assertEquals(log.logEndOffset(), log.flush());
            assertForcedAfterTrim(io.events(), INDEX_0, fourthBase);
            assertForcedAfterTrim(io.events(), TIME_INDEX_0, fourthBase);
        }
    }

    @Test
    void logCloseForcesTheActiveSegmentsTrimmedIndexes() {
        LogFixture f = new LogFixture(tmp);
        SyncRecordingFileIo io = new SyncRecordingFileIo();
        Log log = f.builder(config(), io).build();
        f.append(log, 2, PAYLOAD);
        f.append(log, 2, PAYLOAD);
        log.flush();
        log.close();
        List<Event> events = io.events();
        assertForcedAfterTrim(events, INDEX_0, Long.MAX_VALUE);
        assertForcedAfterTrim(events, TIME_INDEX_0, Long.MAX_VALUE);
    }

    @Test
    void cleanShutdownForcesTheActiveSegmentsIndexesBeforeWritingTheMarker() {
        Path logDir = tmp.resolve("data");
        MockTime time = new MockTime();
        SyncRecordingFileIo io = new SyncRecordingFileIo();
        LogManager manager = new LogManager(List.of(logDir), config(), tp -> Optional.empty(), time,
                new MockScheduler(time), io, LogManagerConfig.defaults("cluster-1", 1));
        manager.startup();
        Log log = manager.getOrCreateLog(new TopicPartition("events", 0), "topic-id", config());
        LogFixture f = new LogFixture(tmp, time);
        long secondBase = appendUntilRoll(f, log);
        f.append(log, 2, PAYLOAD);
        f.append(log, 2, PAYLOAD);
        manager.shutdown();

        List<Event> events = io.events();
        int marker = lastIndexOf(events, Kind.MOVE, LogManager.CLEAN_SHUTDOWN_FILE);
        assertTrue(marker >= 0, "a clean-shutdown marker was written: " + events);
        List<Event> beforeMarker = events.subList(0, marker);
        for (String suffix : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
            assertForcedAfterTrim(beforeMarker, LogSegment.fileName(0, suffix), Long.MAX_VALUE);
            assertForcedAfterTrim(beforeMarker, LogSegment.fileName(secondBase, suffix), Long.MAX_VALUE);
        }
        assertTrue(lastIndexOf(beforeMarker, Kind.FSYNC, LogSegment.fileName(secondBase, LogSegment.LOG_SUFFIX))
                >= 0);
    }
}
