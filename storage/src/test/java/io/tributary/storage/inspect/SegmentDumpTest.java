package io.tributary.storage.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.record.ControlRecordType;
import io.tributary.common.record.EndTransactionMarker;
import io.tributary.common.record.TimestampType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SegmentDump} on segments a real log manager wrote, intact and damaged. */
@Tag("integration")
class SegmentDumpTest {

    @TempDir
    Path root;

    private InspectedLog written;

    @BeforeEach
    void writeLog() {
        written = new InspectedLog(root);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void headersAndRecordsOfEveryKindOfBatchAreShown() throws IOException {
        SegmentDump first = SegmentDump.read(written.files(".log").getFirst(), true, Long.MAX_VALUE);

        assertEquals(0, first.baseOffset());
        assertFalse(first.hasProblems(), first.toString());
        BatchDump plain = first.batches().get(0);
        assertEquals(List.of(0L, 2L, 3, 0), List.of(plain.baseOffset(), plain.lastOffset(), plain.count(),
                plain.partitionLeaderEpoch()));
        assertEquals(List.of(-1, -1), List.of(plain.baseSequence(), plain.lastSequence()));
        assertEquals(List.of(-1L, (short) -1, 0, "none", true), List.of(plain.producerId(), plain.producerEpoch(),
                plain.position(), plain.compression(), plain.valid()));
        assertEquals(OptionalLong.empty(), plain.deleteHorizonMs());
        assertEquals(TimestampType.CREATE_TIME, plain.timestampType());
        assertEquals(InspectedLog.TIMESTAMP_MS + 2, plain.maxTimestampMs());
        assertEquals(List.of("k0", "k1", "k2"), plain.records().stream().map(r -> text(r.key())).toList());
        assertEquals(List.of("v0", "v1", "v2"), plain.records().stream().map(r -> text(r.value())).toList());
        assertEquals(List.of("h"), plain.records().get(0).headerKeys());
        assertEquals(List.of(2, 2, -1), List.of(plain.records().get(1).keySize(), plain.records().get(1).valueSize(),
                plain.records().get(1).sequence()));

        BatchDump gzip = first.batches().get(1);
        assertEquals(List.of(3L, 4L, "gzip", plain.sizeBytes()), List.of(gzip.baseOffset(), gzip.lastOffset(),
                gzip.compression(), gzip.position()));
        assertEquals(List.of("gzipped value 3", "gzipped value 4"), gzip.records().stream()
                .map(r -> text(r.value())).toList());

        BatchDump transactional = first.batches().get(2);
        assertTrue(transactional.transactional() && !transactional.control());
        assertEquals(List.of(7L, (short) 1, 0, 1, 3), List.of(transactional.producerId(), transactional.producerEpoch(),
                transactional.baseSequence(), transactional.lastSequence(), transactional.partitionLeaderEpoch()));
        assertEquals(List.of(0, 1), transactional.records().stream().map(RecordDump::sequence).toList());
        assertEquals(-1, transactional.records().get(0).keySize());

        BatchDump marker = first.batches().get(3);
        assertTrue(marker.transactional() && marker.control());
        assertEquals(new EndTransactionMarker(ControlRecordType.COMMIT, 5), marker.records().get(0).endTxnMarker());
    }

    @Test
    void theSegmentsTogetherHoldEveryOffsetOnceAndShallowReadingDecodesNothing() throws IOException {
        List<Path> segments = written.files(".log");
        assertTrue(segments.size() >= 3, "segment.bytes=600 rolls several times: " + segments);

        List<Long> offsets = new ArrayList<>();
        for (Path segment : segments) {
            SegmentDump dump = SegmentDump.read(segment, false, Long.MAX_VALUE);
            assertFalse(dump.hasProblems(), dump.toString());
            assertEquals(dump.baseOffset(), dump.batches().getFirst().baseOffset());
            assertEquals(Files.size(segment), dump.fileBytes());
            for (BatchDump batch : dump.batches()) {
                assertTrue(batch.records().isEmpty());
                for (long offset = batch.baseOffset(); offset <= batch.lastOffset(); offset++) {
                    offsets.add(offset);
                }
            }
        }
        assertEquals(java.util.stream.LongStream.range(0, InspectedLog.END_OFFSET).boxed().toList(), offsets);
    }

    @Test
    void maxBytesStopsAfterTheBatchThatReachesIt() throws IOException {
        SegmentDump dump = SegmentDump.read(written.files(".log").getFirst(), false, 1);

        assertEquals(1, dump.batches().size());
        assertNull(dump.endProblem());
    }

    @Test
    void aFlippedByteFailsItsBatchCrcAndTheReadingGoesOn() throws IOException {
        Path segment = written.files(".log").getFirst();
        BatchDump second = SegmentDump.read(segment, false, Long.MAX_VALUE).batches().get(1);
        flipByte(segment, second.position() + second.sizeBytes() - 3);

        SegmentDump dump = SegmentDump.read(segment, true, Long.MAX_VALUE);

        BatchDump damaged = dump.batches().get(1);
        assertTrue(dump.hasProblems());
        assertFalse(damaged.valid());
        assertTrue(damaged.problem().contains("record batch at position " + second.position()
                + " failed its CRC32C check"), damaged.problem());
        assertTrue(dump.batches().get(0).valid() && dump.batches().get(2).valid(), dump.toString());
        assertNull(dump.endProblem());
    }

    @Test
    void aTruncatedTailIsReportedWithThePositionWhereTheReadableDataEnds() throws IOException {
        Path segment = written.files(".log").getFirst();
        SegmentDump intact = SegmentDump.read(segment, false, Long.MAX_VALUE);
        BatchDump last = intact.batches().getLast();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(last.position() + 20);
        }

        SegmentDump dump = SegmentDump.read(segment, true, Long.MAX_VALUE);

        assertEquals(intact.batches().size() - 1, dump.batches().size());
        assertEquals("position " + last.position() + ": only 20 bytes remain, less than a batch header (61 bytes)",
                dump.endProblem());
        assertEquals(20, dump.unreadBytes());
        assertTrue(dump.hasProblems());
    }

    @Test
    void aBatchLongerThanTheFileIsATornWrite() throws IOException {
        Path segment = written.files(".log").getFirst();
        BatchDump last = SegmentDump.read(segment, false, Long.MAX_VALUE).batches().getLast();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(last.position() + last.sizeBytes() - 1);
        }

        SegmentDump dump = SegmentDump.read(segment, false, Long.MAX_VALUE);

        assertEquals("position " + last.position() + ": the batch declares " + last.sizeBytes() + " bytes but only "
                + (last.sizeBytes() - 1) + " remain (a torn write)", dump.endProblem());
    }

    @Test
    void aMissingOrWronglyNamedFileIsRefused() throws IOException {
        Path missing = written.partitionDir.resolve("00000000000000000999.log");
        Path renamed = Files.copy(written.files(".log").getFirst(), root.resolve("copy.log"));

        assertThrows(NoSuchFileException.class, () -> SegmentDump.read(missing, false, Long.MAX_VALUE));
        IllegalArgumentException wrongName = assertThrows(IllegalArgumentException.class,
                () -> SegmentDump.read(renamed, false, Long.MAX_VALUE));
        assertEquals(renamed + " is not named <20-digit base offset>.log, so its base offset is unknown",
                wrongName.getMessage());
    }

    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) ~one.get(0));
            channel.write(one.rewind(), position);
        }
    }
}
