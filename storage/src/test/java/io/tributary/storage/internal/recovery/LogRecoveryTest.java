package io.tributary.storage.internal.recovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.storage.FetchDataInfo;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.TimestampAndOffset;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.io.FileIo;
import io.tributary.common.record.RecordBatch;
import io.tributary.storage.testing.LogFixture;
import io.tributary.storage.testing.Seeds;
import io.tributary.storage.testing.TestBatches;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery (DESIGN.md §3): after an unclean shutdown the log keeps exactly the valid prefix of batches,
 * truncating at the first invalid byte and deleting later segments; indexes are rebuilt whenever they
 * are missing or fail their sanity check, after a clean shutdown too.
 */
@Tag("integration")
class LogRecoveryTest {

    private static final LogConfig CONFIG = LogFixture.config(Map.of(
            "segment.bytes", "4000", "index.interval.bytes", "300", "segment.index.bytes", "4096"));

    @TempDir
    Path tmp;

    /** An appended batch as the reference remembers it. */
    private record Appended(long baseOffset, long nextOffset, long maxTimestamp, byte[] bytes) {
    }

    private static List<Appended> fill(LogFixture f, Log log, SplittableRandom random, int batches) {
        List<Appended> appended = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            long base = log.logEndOffset();
            int records = 1 + random.nextInt(5);
            long timestamp = f.time.milliseconds() + random.nextInt(10_000);
            ByteBuffer batch = f.append(log, records, random.nextInt(400), timestamp);
            appended.add(new Appended(base, base + records, timestamp, TestBatches.bytes(batch)));
        }
        return appended;
    }

    /** Checks that {@code log} holds exactly {@code expected}: offsets, bytes, and index-driven lookups. */
    private static void assertHolds(List<Appended> expected, Log log, String context) {
        long end = expected.isEmpty() ? 0 : expected.getLast().nextOffset();
        assertEquals(end, log.logEndOffset(), context);
        for (Appended batch : expected) {
            for (long offset = batch.baseOffset(); offset < batch.nextOffset(); offset++) {
                FetchDataInfo read = log.read(offset, 1, Long.MAX_VALUE, true);
                assertArrayEquals(batch.bytes(), TestBatches.bytes(read.records()), context + ", offset " + offset);
            }
            Optional<TimestampAndOffset> byTime = log.fetchOffsetByTimestamp(batch.maxTimestamp());
            assertTrue(byTime.isPresent() && byTime.get().offset() <= batch.baseOffset(), context);
        }
    }

    private static List<Appended> prefixEndingBefore(List<Appended> all, long bytePosition) {
        List<Appended> kept = new ArrayList<>();
        long position = 0;
        for (Appended batch : all) {
            position += batch.bytes().length;
            if (position > bytePosition) {
                break;
            }
            kept.add(batch);
        }
        return kept;
    }

    @Test
    void aTornTailKeepsExactlyTheWholeBatchesBeforeTheCut() throws IOException {
        long seed = Seeds.seed("aTornTailKeepsExactlyTheWholeBatchesBeforeTheCut");
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 12; round++) {
            LogFixture f = new LogFixture(tmp.resolve("round-" + round));
            List<Appended> appended;
            long activeBase;
            long recoveryPoint;
            try (Log log = f.open(CONFIG)) {
                appended = fill(f, log, random, 10 + random.nextInt(30));
                recoveryPoint = random.nextBoolean() ? 0 : log.flush();
                appended.addAll(fill(f, log, random, 1 + random.nextInt(10)));
                activeBase = lastSegmentBase(f.dir);
            }
            List<Appended> before = appended.stream().filter(b -> b.baseOffset() < activeBase).toList();
            List<Appended> inActive = appended.stream().filter(b -> b.baseOffset() >= activeBase).toList();
            Path activeLog = f.dir.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX));
            long cut = random.nextLong(Files.size(activeLog) + 1);
            truncateFile(activeLog, cut);
            try (Log log = f.builder(CONFIG, FileIo.system()).recoveryPoint(recoveryPoint).build()) {
                List<Appended> expected = new ArrayList<>(before);
                expected.addAll(prefixEndingBefore(inActive, cut));
                assertHolds(expected, log, "seed " + seed + ", round " + round + ", cut at " + cut);
            }
        }
    }

    @Test
    void aCorruptBatchAnywhereTruncatesThereAndDropsLaterSegments() throws IOException {
        long seed = Seeds.seed("aCorruptBatchAnywhereTruncatesThereAndDropsLaterSegments");
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 12; round++) {
            LogFixture f = new LogFixture(tmp.resolve("round-" + round));
            List<Appended> appended;
            try (Log log = f.open(CONFIG)) {
                appended = fill(f, log, random, 20 + random.nextInt(30));
            }
            int victim = random.nextInt(appended.size());
            Appended corrupt = appended.get(victim);
            // Flip a byte the batch's checks cover: magic, CRC, or the CRC'd body.
            int within = RecordBatch.MAGIC_OFFSET + random.nextInt(corrupt.bytes().length - RecordBatch.MAGIC_OFFSET);
            flipByte(f.dir, corrupt.baseOffset(), within);
            try (Log log = f.builder(CONFIG, FileIo.system()).recoveryPoint(0).build()) {
                assertHolds(appended.subList(0, victim), log, "seed " + seed + ", round " + round + ", batch " + victim
                        + " byte " + within);
                assertTrue(lastSegmentBase(f.dir) <= corrupt.baseOffset(),
                        "segments after the truncation point are deleted");
            }
        }
    }

    @Test
    void aRolledSegmentThatLostWholeBatchesEndsTheLogThere() throws IOException {
        LogFixture f = new LogFixture(tmp);
        List<Appended> appended;
        try (Log log = f.open(CONFIG)) {
            appended = fill(f, log, new SplittableRandom(7), 40);
        }
        List<Long> bases = baseOffsets(f.dir);
        assertTrue(bases.size() >= 3);
        // The power failed before the rolled segment's last batch reached the disk; the next segment did.
        long second = bases.get(1);
        List<Appended> inFirst = appended.stream().filter(b -> b.baseOffset() < second).toList();
        long keptBytes = inFirst.subList(0, inFirst.size() - 1).stream().mapToLong(b -> b.bytes().length).sum();
        truncateFile(f.dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX)), keptBytes);
        try (Log log = f.builder(CONFIG, FileIo.system()).recoveryPoint(0).build()) {
            assertHolds(inFirst.subList(0, inFirst.size() - 1), log, "no hole in the offsets");
            assertEquals(1, log.numberOfSegments());
        }
    }

    @Test
    void missingIndexesAreRebuiltAfterACleanShutdown() throws IOException {
        LogFixture f = new LogFixture(tmp);
        List<Appended> appended;
        try (Log log = f.open(CONFIG)) {
            appended = fill(f, log, new SplittableRandom(1), 40);
            log.flush();
        }
        List<Path> indexes = listEndingWith(f.dir, LogSegment.INDEX_SUFFIX);
        assertTrue(indexes.size() > 2);
        Files.delete(indexes.get(1));
        Files.delete(listEndingWith(f.dir, LogSegment.TIME_INDEX_SUFFIX).getLast());
        try (Log log = f.builder(CONFIG, FileIo.system()).hadCleanShutdown(true).build()) {
            assertHolds(appended, log, "rebuilt");
        }
        assertTrue(Files.size(indexes.get(1)) > 0, "the rebuilt index was written and trimmed");
    }

    @Test
    void corruptIndexesAreRebuiltNeverFatal() throws IOException {
        LogFixture f = new LogFixture(tmp);
        List<Appended> appended;
        try (Log log = f.open(CONFIG)) {
            appended = fill(f, log, new SplittableRandom(2), 40);
            log.flush();
        }
        List<Path> indexes = listEndingWith(f.dir, LogSegment.INDEX_SUFFIX);
        byte[] garbage = new byte[64];
        new SplittableRandom(3).nextBytes(garbage);
        Files.write(indexes.getFirst(), garbage);
        Files.write(listEndingWith(f.dir, LogSegment.TIME_INDEX_SUFFIX).get(1), new byte[] {1, 2, 3});
        try (Log log = f.builder(CONFIG, FileIo.system()).hadCleanShutdown(true).build()) {
            assertHolds(appended, log, "rebuilt");
        }
    }

    @Test
    void anIndexAheadOfItsLogIsRebuiltAndTheLogKeepsWhatItHas() throws IOException {
        LogFixture f = new LogFixture(tmp);
        List<Appended> appended;
        long activeBase;
        LogConfig bigSegments = CONFIG.withOverrides(Map.of("segment.bytes", "20000"));
        try (Log log = f.open(bigSegments)) {
            appended = fill(f, log, new SplittableRandom(4), 60);
            log.flush();
            activeBase = lastSegmentBase(f.dir);
        }
        // The log lost its tail (e.g. unsynced pages) but the index kept entries pointing into it.
        List<Appended> inActive = appended.stream().filter(b -> b.baseOffset() >= activeBase).toList();
        assertTrue(inActive.size() >= 4, "the test needs a few batches in the active segment");
        int keep = inActive.size() / 2;
        long cut = inActive.subList(0, keep).stream().mapToLong(b -> b.bytes().length).sum();
        truncateFile(f.dir.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX)), cut);
        try (Log log = f.builder(bigSegments, FileIo.system()).hadCleanShutdown(true).build()) {
            List<Appended> expected = new ArrayList<>(
                    appended.stream().filter(b -> b.baseOffset() < activeBase).toList());
            expected.addAll(inActive.subList(0, keep));
            assertHolds(expected, log, "index ahead of log");
        }
    }

    @Test
    void leftoverFilesAreRemovedOrCompleted() throws IOException {
        LogFixture f = new LogFixture(tmp);
        List<Appended> appended;
        try (Log log = f.open(CONFIG)) {
            appended = fill(f, log, new SplittableRandom(5), 40);
            log.flush();
        }
        long second = baseOffsets(f.dir).get(1);
        long third = baseOffsets(f.dir).get(2);
        Files.write(f.dir.resolve(LogSegment.fileName(7_777, LogSegment.LOG_SUFFIX + LogSegment.DELETED_SUFFIX)),
                new byte[10]);
        Files.write(f.dir.resolve(LogSegment.fileName(8_888, ".log.cleaned")), new byte[10]);
        Files.write(f.dir.resolve("leader-epoch-checkpoint.tmp"), new byte[10]);
        Files.write(f.dir.resolve(LogSegment.fileName(9_999, LogSegment.INDEX_SUFFIX)), new byte[16]);
        // A completed rewrite of the second segment waiting to be swapped in: same offsets, new bytes.
        List<ByteBuffer> rewritten = new ArrayList<>();
        List<Appended> expected = new ArrayList<>();
        for (Appended batch : appended) {
            if (batch.baseOffset() >= second && batch.baseOffset() < third) {
                ByteBuffer replacement = TestBatches.batch(batch.baseOffset(), (int) (batch.nextOffset()
                        - batch.baseOffset()), batch.maxTimestamp(), batch.maxTimestamp(), 0, 17, 99);
                rewritten.add(replacement);
                expected.add(new Appended(batch.baseOffset(), batch.nextOffset(), batch.maxTimestamp(),
                        TestBatches.bytes(replacement)));
            } else {
                expected.add(batch);
            }
        }
        Files.write(f.dir.resolve(LogSegment.fileName(second, ".log.swap")),
                TestBatches.bytes(TestBatches.concat(rewritten.toArray(ByteBuffer[]::new))));
        try (Log log = f.builder(CONFIG, FileIo.system()).hadCleanShutdown(true).build()) {
            assertHolds(expected, log, "after swap");
        }
        try (Stream<Path> files = Files.list(f.dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertFalse(names.stream().anyMatch(n -> n.endsWith(".deleted") || n.endsWith(".cleaned")
                    || n.endsWith(".tmp") || n.endsWith(".swap") || n.startsWith("00000000000000009999")),
                    names.toString());
        }
    }

    @Test
    void aLogStartOffsetBeyondTheSurvivingDataRestartsTheLogThere() throws IOException {
        LogFixture f = new LogFixture(tmp);
        try (Log log = f.open(CONFIG)) {
            fill(f, log, new SplittableRandom(6), 10);
        }
        try (Log log = f.builder(CONFIG, FileIo.system()).logStartOffset(1_000).build()) {
            assertEquals(1_000, log.logStartOffset());
            assertEquals(1_000, log.logEndOffset());
            assertEquals(1, log.numberOfSegments());
        }
    }

    @Test
    void recoveryRestoresLeaderEpochsFromTheBatches() throws IOException {
        LogFixture f = new LogFixture(tmp);
        try (Log log = f.open(CONFIG)) {
            f.epoch(4);
            f.append(log, 3, 10);
            f.epoch(6);
            f.append(log, 3, 10);
        }
        Files.delete(f.dir.resolve("leader-epoch-checkpoint"));
        try (Log log = f.open(CONFIG)) {
            assertEquals(Optional.of(6), log.latestEpoch());
            assertEquals(Optional.of(3L), log.endOffsetForEpoch(4));
        }
    }

    private static List<Long> baseOffsets(Path dir) throws IOException {
        return listEndingWith(dir, LogSegment.LOG_SUFFIX).stream()
                .map(p -> Long.parseLong(p.getFileName().toString().substring(0, 20))).toList();
    }

    private static long lastSegmentBase(Path dir) throws IOException {
        return baseOffsets(dir).getLast();
    }

    private static List<Path> listEndingWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static void truncateFile(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    /** Flips byte {@code within} of the batch with base offset {@code baseOffset}, wherever it lives. */
    private static void flipByte(Path dir, long baseOffset, int within) throws IOException {
        List<Long> bases = baseOffsets(dir);
        long segmentBase = bases.stream().filter(b -> b <= baseOffset).reduce((a, b) -> b).orElseThrow();
        Path file = dir.resolve(LogSegment.fileName(segmentBase, LogSegment.LOG_SUFFIX));
        byte[] bytes = Files.readAllBytes(file);
        int position = 0;
        while (ByteBuffer.wrap(bytes).getLong(position) != baseOffset) {
            position += ByteBuffer.wrap(bytes).getInt(position + 8) + 12;
        }
        bytes[position + within] ^= (byte) 0x41;
        Files.write(file, bytes);
    }
}
