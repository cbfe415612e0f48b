package io.tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.storage.testing.LogFixture;
import io.tributary.storage.testing.TestBatches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention (DESIGN.md §3): whole old segments go by time, size and log start offset, never the active
 * segment nor uncommitted data; they become {@code .deleted} at once and vanish after file.delete.delay.ms.
 */
@Tag("unit")
class LogRetentionTest {

    private static final int PAYLOAD = 100;
    private static final int BATCH_BYTES = 61 + PAYLOAD;
    private static final long HOUR_MS = 3_600_000L;

    @TempDir
    Path tmp;

    private static LogConfig config(String... keyValues) {
        Map<String, String> overrides = new HashMap<>(Map.of(
                "segment.bytes", Integer.toString(2 * BATCH_BYTES), "file.delete.delay.ms", "60000"));
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        return LogFixture.config(overrides);
    }

    /** Appends {@code segments} full segments of two single-record batches, one hour apart per segment. */
    private static void appendSegments(LogFixture f, Log log, int segments) {
        for (int i = 0; i < segments; i++) {
            f.append(log, 1, PAYLOAD);
            f.append(log, 1, PAYLOAD);
            f.time.sleep(HOUR_MS);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    private static List<String> filesEndingWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void retentionByTimeDeletesExpiredSegmentsAfterTheDelay() throws IOException {
        LogFixture f = new LogFixture(tmp);
        try (Log log = f.open(config("retention.ms", Long.toString(3 * HOUR_MS)))) {
            appendSegments(f, log, 5);
            f.append(log, 1, PAYLOAD);
            log.updateHighWatermark(log.logEndOffset());
            assertEquals(6, log.numberOfSegments());
            // Segments written 5, 4, 3, 2, 1 hours ago: the first two are older than 3 hours.
            assertEquals(2, log.deleteOldSegments());
            assertEquals(4, log.logStartOffset());
            assertEquals(4, log.numberOfSegments());
            assertEquals(List.of("00000000000000000000.log.deleted", "00000000000000000002.log.deleted"),
                    filesEndingWith(f.dir, ".log.deleted"));
            OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class,
                    () -> log.read(3, 10_000, Long.MAX_VALUE, true));
            assertTrue(e.getMessage().contains("4 (log start offset)"), e.getMessage());
            f.scheduler.advance(59_999);
            assertEquals(2, filesEndingWith(f.dir, ".deleted").size() / 3, "log, index and time index remain");
            f.scheduler.advance(1);
            assertEquals(List.of(), filesEndingWith(f.dir, ".deleted"));
            assertEquals(List.of(4L),
                    TestBatches.baseOffsets(log.read(4, BATCH_BYTES, Long.MAX_VALUE, true).records()));
        }
    }

    @Test
    void theActiveSegmentIsNeverDeleted() {
        LogFixture f = new LogFixture(tmp);
        try (Log log = f.open(config("retention.ms", "1", "segment.bytes", "1000000"))) {
            appendSegments(f, log, 3);
            assertEquals(1, log.numberOfSegments());
            assertEquals(0, log.deleteOldSegments());
            assertEquals(0, log.logStartOffset());
        }
    }

    @Test
    void retentionByBytesDeletesTheOldestSegmentsWhileTheLogIsTooLarge() {
        LogFixture f = new LogFixture(tmp);
        try (Log log = f.open(config("retention.bytes", Integer.toString(5 * BATCH_BYTES)))) {
            appendSegments(f, log, 4);
            f.append(log, 1, PAYLOAD);
            log.updateHighWatermark(log.logEndOffset());
            // 9 batches; deleting whole 2-batch segments until at most 5 remain removes two segments.
            assertEquals(2, log.deleteOldSegments());
            assertEquals(5L * BATCH_BYTES, log.size());
            assertEquals(4, log.logStartOffset());
            assertEquals(0, log.deleteOldSegments());
        }
    }

    @Test
    void retentionNeverDeletesDataAboveTheHighWatermark() {
        LogFixture f = new LogFixture(tmp);
        try (Log log = f.open(config("retention.ms", "1"))) {
            appendSegments(f, log, 4);
            log.updateHighWatermark(3);
            assertEquals(1, log.deleteOldSegments(), "only the segment [0, 2) lies entirely below the high watermark");
            assertEquals(2, log.logStartOffset());
        }
    }

    @Test
    void deleteRecordsMovesTheLogStartAndRetentionRemovesSegmentsBelowIt() {
        LogFixture f = new LogFixture(tmp);
        try (Log log = f.open(config())) {
            appendSegments(f, log, 4);
            log.maybeIncrementLogStartOffset(5);
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(4, 10_000, Long.MAX_VALUE, true));
            assertEquals(2, log.deleteOldSegments(), "segments [0, 2) and [2, 4) are wholly below 5");
            assertEquals(5, log.logStartOffset());
            assertEquals(List.of(5L), TestBatches.baseOffsets(log.read(5, 10_000, Long.MAX_VALUE, true).records()));
            assertEquals(2, log.numberOfSegments(), "the segment [4, 6) holding the log start offset stays");
        }
    }

    @Test
    void compactedTopicsKeepOldSegmentsExceptBelowTheLogStart() {
        LogFixture f = new LogFixture(tmp);
        try (Log log = f.open(config("cleanup.policy", "compact", "retention.ms", "1", "retention.bytes", "1"))) {
            appendSegments(f, log, 4);
            assertEquals(0, log.deleteOldSegments());
            log.maybeIncrementLogStartOffset(2);
            assertEquals(1, log.deleteOldSegments());
            assertFalse(log.config().deleteRetention());
        }
    }
}
