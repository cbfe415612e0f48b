package io.tributary.storage.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.MockTime;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.testing.MockScheduler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IndexDump} on the indexes a real log manager wrote, and on damaged copies. */
@Tag("integration")
class IndexDumpTest {

    @TempDir
    Path root;

    private InspectedLog written;

    @BeforeEach
    void writeLog() {
        written = new InspectedLog(root);
    }

    @Test
    void offsetIndexEntriesPointAtTheBatchesEndingAtTheirOffsets() throws IOException {
        Path index = written.files(".index").getFirst();
        SegmentDump log = SegmentDump.read(written.files(".log").getFirst(), false, Long.MAX_VALUE);

        IndexDump.OffsetIndexDump dump = IndexDump.offsetIndex(index);

        assertFalse(dump.entries().isEmpty(), "index.interval.bytes=100 indexes the first segment");
        assertEquals(log.file(), dump.logFile());
        assertFalse(dump.hasProblems(), dump.toString());
        for (IndexDump.OffsetEntry entry : dump.entries()) {
            assertTrue(log.batches().stream().anyMatch(batch -> batch.position() == entry.position()
                    && batch.lastOffset() == entry.offset()), entry + " in " + log);
        }
        assertEquals(Files.size(index) / 8, dump.entries().size());
    }

    @Test
    void timeIndexEntriesNameTheMaxTimestampOfTheBatchEndingAtTheirOffset() throws IOException {
        IndexDump.TimeIndexDump dump = IndexDump.timeIndex(written.files(".timeindex").getFirst());

        assertFalse(dump.entries().isEmpty());
        assertFalse(dump.hasProblems(), dump.toString());
        IndexDump.TimeEntry last = dump.entries().getLast();
        assertEquals(InspectedLog.TIMESTAMP_MS + last.offset(), last.timestampMs(),
                "every record's timestamp is TIMESTAMP_MS + its offset");
    }

    @Test
    void anEntryThatDoesNotMatchTheLogIsAMismatch() throws IOException {
        Path index = written.files(".index").getFirst();
        IndexDump.OffsetEntry first = IndexDump.offsetIndex(index).entries().getFirst();
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer relativeOffset = ByteBuffer.allocate(4).putInt(0, (int) first.offset() - 1);
            channel.write(relativeOffset, 0);
        }

        IndexDump.OffsetIndexDump dump = IndexDump.offsetIndex(index);

        assertEquals(List.of(new IndexDump.OffsetMismatch(new IndexDump.OffsetEntry(first.offset() - 1,
                first.position()), first.offset())), dump.mismatches());
        assertTrue(dump.hasProblems());
    }

    @Test
    void aTimeIndexEntryForAnOffsetNoBatchEndsAtIsAMismatch() throws IOException {
        Path index = written.files(".timeindex").getFirst();
        IndexDump.TimeEntry first = IndexDump.timeIndex(index).entries().getFirst();
        try (FileChannel channel = FileChannel.open(index, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).putLong(0, first.timestampMs() + 1000), 0);
        }

        IndexDump.TimeIndexDump dump = IndexDump.timeIndex(index);

        assertEquals(new IndexDump.TimeMismatch(new IndexDump.TimeEntry(first.timestampMs() + 1000, first.offset()),
                first.timestampMs()), dump.mismatches().getFirst());
        assertTrue(dump.sanityProblem().contains("does not increase"), dump.sanityProblem());
    }

    @Test
    void aPartialEntryFailsTheSanityCheck() throws IOException {
        Path index = written.files(".index").getFirst();
        Files.write(index, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        IndexDump.OffsetIndexDump dump = IndexDump.offsetIndex(index);

        assertEquals("corrupt index " + index + ": file length is not a multiple of 8", dump.sanityProblem());
    }

    @Test
    void theIndexOfARunningLogsActiveSegmentShowsItsEntriesNotItsPreallocatedSpace() throws IOException {
        MockTime time = new MockTime();
        Path dir = root.resolve("running-0");
        try (Log log = Log.builder(dir).config(LogConfig.defaults().withOverrides(Map.of("index.interval.bytes", "0")))
                .time(time).scheduler(new MockScheduler(time)).build()) {
            for (long offset = 0; offset < 3; offset++) {
                log.append(new RecordBatchBuilder().baseOffset(offset).append(1000 + offset, null,
                        InspectedLog.bytes("v" + offset)).build());
            }
            SegmentDump segment = SegmentDump.read(dir.resolve("00000000000000000000.log"), false, Long.MAX_VALUE);

            IndexDump.OffsetIndexDump offsets = IndexDump.offsetIndex(dir.resolve("00000000000000000000.index"));
            IndexDump.TimeIndexDump times = IndexDump.timeIndex(dir.resolve("00000000000000000000.timeindex"));

            assertEquals(List.of(new IndexDump.OffsetEntry(1, segment.batches().get(1).position()),
                    new IndexDump.OffsetEntry(2, segment.batches().get(2).position())), offsets.entries());
            assertTrue(offsets.preallocatedEntries() > 0, offsets.toString());
            assertFalse(offsets.hasProblems(), offsets.toString());
            assertEquals(List.of(new IndexDump.TimeEntry(1001, 1), new IndexDump.TimeEntry(1002, 2)), times.entries());
            assertFalse(times.hasProblems(), times.toString());
        }
    }

    @Test
    void aQuietActiveSegmentsIndexesOfOnlyPreallocatedSpaceHaveNoEntriesAndNoProblems() throws IOException {
        MockTime time = new MockTime();
        Path dir = root.resolve("quiet-0");
        try (Log log = Log.builder(dir).config(LogConfig.defaults()).time(time).scheduler(new MockScheduler(time))
                .build()) {
            log.append(new RecordBatchBuilder().baseOffset(0).append(1000, null, InspectedLog.bytes("v")).build());

            IndexDump.OffsetIndexDump offsets = IndexDump.offsetIndex(dir.resolve("00000000000000000000.index"));
            IndexDump.TimeIndexDump times = IndexDump.timeIndex(dir.resolve("00000000000000000000.timeindex"));

            assertEquals(List.of(), offsets.entries());
            assertTrue(offsets.preallocatedEntries() > 0, offsets.toString());
            assertFalse(offsets.hasProblems(), offsets.toString());
            assertEquals(List.of(), times.entries());
            assertTrue(times.preallocatedEntries() > 0, times.toString());
            assertFalse(times.hasProblems(), times.toString());
        }
    }

    @Test
    void anIndexWithoutItsSegmentIsListedButNotVerified() throws IOException {
        Path alone = Files.createDirectories(root.resolve("alone"));
        Path index = Files.copy(written.files(".index").getFirst(), alone.resolve("00000000000000000000.index"));

        IndexDump.OffsetIndexDump dump = IndexDump.offsetIndex(index);

        assertNull(dump.logFile());
        assertFalse(dump.entries().isEmpty());
        assertTrue(dump.mismatches().isEmpty());
        assertThrows(NoSuchFileException.class, () -> IndexDump.timeIndex(alone.resolve("00000000000000000000.timeindex")));
        assertFalse(Files.exists(alone.resolve("00000000000000000000.timeindex")), "inspection never creates a file");
    }
}
