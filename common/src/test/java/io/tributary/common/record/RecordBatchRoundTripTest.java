package io.tributary.common.record;

import static io.tributary.common.record.TestBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link RecordBatchBuilder} then {@link RecordBatch#records()} returns what was appended, for every codec. */
@Tag("unit")
class RecordBatchRoundTripTest {

    private static final long BASE_TIMESTAMP_MS = 1_700_000_000_000L;

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void testEdgeCaseRecordsRoundTrip(CompressionType compression) {
        List<Record> expected = List.of(
                new Record(10, BASE_TIMESTAMP_MS, null, utf8("value"), List.of()),
                new Record(11, BASE_TIMESTAMP_MS - 5, utf8("key"), null, List.of()),
                new Record(12, BASE_TIMESTAMP_MS + 7, new byte[0], new byte[0], List.of()),
                new Record(13, BASE_TIMESTAMP_MS, null, null,
                        List.of(new Header("null-value", null), new Header("empty", new byte[0]),
                                new Header("ünïcødé", utf8("v")), new Header("", utf8("empty key")))));
        ByteBuffer batch = build(new RecordBatchBuilder().compression(compression).baseOffset(10), expected);

        RecordBatch view = RecordBatch.at(batch);
        view.ensureValid();
        assertEquals(compression, view.compressionType());
        assertEquals(expected, view.records());
        assertEquals(BASE_TIMESTAMP_MS, view.baseTimestamp(), "base timestamp is the first record's");
        assertEquals(BASE_TIMESTAMP_MS + 7, view.maxTimestamp(), "max timestamp is the largest, not the last");
        assertEquals(3, view.lastOffsetDelta());
        assertEquals(4, view.recordCount());
        assertEquals(batch.limit(), view.sizeInBytes());
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void testManyAndLargeRecordsRoundTrip(CompressionType compression) {
        SplittableRandom random = new SplittableRandom(compression.id());
        List<Record> expected = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] value = CompressionTypeTest.sampleBytes(random.nextInt(0, 300));
            expected.add(new Record(i, BASE_TIMESTAMP_MS + random.nextInt(-1000, 1000), utf8("key-" + i), value,
                    List.of(new Header("i", utf8(Integer.toString(i))))));
        }
        byte[] large = new byte[3 << 20];
        random.nextBytes(large);
        expected.add(new Record(2_000, BASE_TIMESTAMP_MS, utf8("large"), large, List.of()));

        RecordBatch view = RecordBatch.at(build(new RecordBatchBuilder().compression(compression), expected));
        view.ensureValid();
        assertEquals(expected, view.records());
    }

    @Test
    void testHeaderFieldsAreWrittenAsConfigured() {
        ByteBuffer batch = new RecordBatchBuilder()
                .compression(CompressionType.ZSTD)
                .baseOffset(1234)
                .partitionLeaderEpoch(9)
                .producerId(77)
                .producerEpoch((short) 5)
                .baseSequence(300)
                .transactional(true)
                .append(BASE_TIMESTAMP_MS, null, utf8("v"))
                .build();
        RecordBatch view = RecordBatch.at(batch);
        view.ensureValid();
        assertEquals(1234, view.baseOffset());
        assertEquals(9, view.partitionLeaderEpoch());
        assertEquals(77, view.producerId());
        assertEquals(5, view.producerEpoch());
        assertEquals(300, view.baseSequence());
        assertTrue(view.isTransactional());
        assertFalse(view.isControlBatch());
        assertEquals(TimestampType.CREATE_TIME, view.timestampType());
        assertEquals(RecordBatch.MAGIC_V2, view.magic());
        assertEquals(0, batch.position());
    }

    @Test
    void testDefaultsDescribeAnUnassignedProducerBatch() {
        RecordBatch view = RecordBatch.at(new RecordBatchBuilder().append(1L, null, null).build());
        assertEquals(0, view.baseOffset());
        assertEquals(-1, view.partitionLeaderEpoch());
        assertEquals(-1, view.producerId());
        assertEquals(-1, view.producerEpoch());
        assertEquals(-1, view.baseSequence());
        assertEquals(0, view.attributes(), "no compression, create time, no flags");
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void testLogAppendTimeRecordsReportTheBatchMaxTimestamp(CompressionType compression) {
        ByteBuffer batch = new RecordBatchBuilder()
                .compression(compression)
                .timestampType(TimestampType.LOG_APPEND_TIME)
                .append(100L, null, utf8("a"))
                .append(300L, null, utf8("b"))
                .append(200L, null, utf8("c"))
                .build();
        RecordBatch view = RecordBatch.at(batch);
        view.ensureValid();
        assertEquals(TimestampType.LOG_APPEND_TIME, view.timestampType());
        assertEquals(List.of(300L, 300L, 300L), view.records().stream().map(Record::timestamp).toList());
    }

    @Test
    void testEndTransactionMarkerBatchLayout() {
        EndTransactionMarker marker = new EndTransactionMarker(ControlRecordType.COMMIT, 17);
        ByteBuffer batch = RecordBatchBuilder.endTransactionMarker(88L, (short) 4, BASE_TIMESTAMP_MS, marker)
                .baseOffset(500)
                .build();
        RecordBatch view = RecordBatch.at(batch);
        view.ensureValid();
        assertTrue(view.isControlBatch() && view.isTransactional());
        assertEquals(88L, view.producerId());
        assertEquals(4, view.producerEpoch());
        Record record = view.records().get(0);
        assertEquals(500, record.offset());
        assertArrayEquals(new byte[] {0, 0, 0, 1}, record.key(), "key: version 0, type 1 (commit)");
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 17}, record.value(), "value: version 0, coordinator epoch 17");
        assertEquals(marker, EndTransactionMarker.fromRecord(record));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, new EndTransactionMarker(ControlRecordType.ABORT, 0).keyBytes());
    }

    @Test
    void testBuilderTracksCountAndUncompressedSize() {
        RecordBatchBuilder builder = new RecordBatchBuilder().compression(CompressionType.GZIP);
        assertEquals(0, builder.recordCount());
        assertEquals(RecordBatch.HEADER_SIZE, builder.uncompressedSizeInBytes());
        builder.append(1L, null, new byte[100]);
        assertEquals(1, builder.recordCount());
        // length(2: 107) attributes(1) tsDelta(1) offsetDelta(1) keyLength(1) valueLength(2) value(100) headerCount(1)
        assertEquals(RecordBatch.HEADER_SIZE + 109, builder.uncompressedSizeInBytes());
    }

    @Test
    void testEmptyBatchCannotBeBuilt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RecordBatchBuilder().build());
        assertTrue(e.getMessage().contains("empty record batch"), e.getMessage());
    }

    @Test
    void testBuilderIsSingleUse() {
        RecordBatchBuilder builder = new RecordBatchBuilder().append(1L, null, utf8("v"));
        ByteBuffer first = builder.build();
        byte[] snapshot = TestBatches.bytes(first);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder.append(2L, null, utf8("w")));
        assertTrue(e.getMessage().contains("already built"), e.getMessage());
        assertThrows(IllegalStateException.class, builder::build);
        assertThrows(IllegalStateException.class, () -> builder.baseOffset(3));
        assertArrayEquals(snapshot, TestBatches.bytes(first), "the built batch is not disturbed");
    }

    @Test
    void testTimestampDeltaOverflowIsRejected() {
        RecordBatchBuilder builder = new RecordBatchBuilder().append(Long.MIN_VALUE, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.append(Long.MAX_VALUE, null, null));
        assertTrue(e.getMessage().contains(Long.toString(Long.MAX_VALUE)), e.getMessage());
    }

    @Test
    void testAppendCopiesTheCallersArrays() {
        byte[] value = utf8("before");
        RecordBatchBuilder builder = new RecordBatchBuilder().append(1L, null, value);
        Arrays.fill(value, (byte) 'x');
        assertArrayEquals(utf8("before"), RecordBatch.at(builder.build()).records().get(0).value());
    }

    /** Appends the expected records in order; their offsets must be consecutive from the builder's base offset. */
    static ByteBuffer build(RecordBatchBuilder builder, List<Record> records) {
        for (Record record : records) {
            builder.append(record.timestamp(), record.key(), record.value(), record.headers());
        }
        return builder.build();
    }
}
