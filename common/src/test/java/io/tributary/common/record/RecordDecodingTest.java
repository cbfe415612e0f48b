package io.tributary.common.record;

import static io.tributary.common.record.TestBatches.batch;
import static io.tributary.common.record.TestBatches.concat;
import static io.tributary.common.record.TestBatches.record;
import static io.tributary.common.record.TestBatches.utf8;
import static io.tributary.common.record.TestBatches.varint;
import static io.tributary.common.record.TestBatches.withLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.RecordTooLargeException;
import io.tributary.common.errors.UnsupportedCompressionTypeException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every structural error {@link RecordBatch#records()} and {@link RecordBatch#ensureValid()} detect,
 * on hand-encoded batches (see {@link TestBatches}): the exception type and that the message names
 * the problem. The CRCs of these batches are correct, so only the structure is at fault.
 */
@Tag("unit")
class RecordDecodingTest {

    private static final byte[] VALID_RECORD = record(0, 0, utf8("k"), utf8("v"));

    @Test
    void testHandEncodedValidBatchDecodes() {
        RecordBatch view = view(new TestBatches.Header().records(2),
                concat(VALID_RECORD, record(3, 1, null, utf8("w"))));
        view.ensureValid();
        assertEquals(List.of(new Record(0, 1000L, utf8("k"), utf8("v"), List.of()),
                new Record(1, 1003L, null, utf8("w"), List.of())), view.records());
    }

    @Test
    void testRecordLengthOverrunningTheBatch() {
        byte[] section = concat(varint(50), new byte[10]);
        assertCorrupt(section, 1, "record 0 declares length 50 but only 10 bytes remain in the batch");
    }

    @Test
    void testTrailingBytesAfterTheLastRecord() {
        assertCorrupt(concat(VALID_RECORD, new byte[] {0, 0, 0}), 1, "3 trailing bytes after its last record");
    }

    @Test
    void testHeaderCountBelowTheRecordsPresent() {
        assertCorrupt(concat(VALID_RECORD, record(0, 1, null, null)), 1, "trailing bytes after its last record");
    }

    @Test
    void testHeaderCountAboveTheRecordsPresent() {
        byte[] padded = record(0, 0, new byte[20], new byte[20]);
        assertCorrupt(concat(padded, padded), 3, "declares 3 records but its records section holds only 2");
    }

    @Test
    void testRecordCountImpossibleForTheBytes() {
        assertCorrupt(VALID_RECORD, 1_000_000, "declares 1000000 records but its " + VALID_RECORD.length
                + " record bytes can hold at most 1");
    }

    @Test
    void testNegativeRecordCount() {
        TestBatches.Header header = new TestBatches.Header();
        header.recordCount = -1;
        RecordBatch view = view(header, VALID_RECORD);
        CorruptRecordException decoding = assertThrows(CorruptRecordException.class, view::records);
        assertTrue(decoding.getMessage().contains("declares -1 records"), decoding.getMessage());
        CorruptRecordException validating = assertThrows(CorruptRecordException.class, view::ensureValid);
        assertTrue(validating.getMessage().contains("record count -1"), validating.getMessage());
    }

    @Test
    void testKeyLengthBelowMinusOne() {
        byte[] body = concat(new byte[] {0, 0, 0}, varint(-2), varint(-1), varint(0));
        assertCorrupt(withLength(body), 1, "record 0 has key length -2; only -1 (null) may be negative");
    }

    @Test
    void testValueLengthBelowMinusOne() {
        byte[] body = concat(new byte[] {0, 0, 0}, varint(-1), varint(-5), varint(0));
        assertCorrupt(withLength(body), 1, "record 0 has value length -5");
    }

    @Test
    void testKeyLongerThanTheRecord() {
        byte[] body = concat(new byte[] {0, 0, 0}, varint(100), new byte[3], varint(-1), varint(0));
        assertCorrupt(withLength(body), 1, "key length 100 but only");
    }

    @Test
    void testNegativeHeaderCount() {
        byte[] body = concat(new byte[] {0, 0, 0}, varint(-1), varint(-1), varint(-1));
        assertCorrupt(withLength(body), 1, "record 0 declares -1 headers");
    }

    @Test
    void testNullHeaderKey() {
        byte[] body = concat(new byte[] {0, 0, 0}, varint(-1), varint(-1), varint(1), varint(-1), varint(-1));
        assertCorrupt(withLength(body), 1, "header 0 with a null key");
    }

    @Test
    void testHeaderValueLengthBelowMinusOne() {
        byte[] body = concat(new byte[] {0, 0, 0}, varint(-1), varint(-1), varint(1), varint(1), utf8("h"), varint(-3));
        assertCorrupt(withLength(body), 1, "header 0 value length -3");
    }

    @Test
    void testUnreadBytesInsideARecord() {
        byte[] body = concat(new byte[] {0, 0, 0}, varint(-1), varint(-1), varint(0), new byte[4]);
        assertCorrupt(withLength(body), 1, "record 0 has 4 unread bytes after its headers");
    }

    @Test
    void testFieldsOverrunningTheDeclaredLength() {
        // Length 6, but the timestamp delta's continuation bits run past the record's end.
        byte[] section = concat(varint(6), new byte[] {0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                VALID_RECORD);
        assertCorrupt(section, 2, "record 0 overruns its declared length 6");
    }

    @Test
    void testLengthBelowTheMinimumRecord() {
        assertCorrupt(concat(varint(2), new byte[] {0, 0}, new byte[5]), 1, "record 0 declares length 2, below the minimum 6");
    }

    @Test
    void testOverlongVarintInARecord() {
        byte[] body = concat(new byte[] {0, 0}, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
                varint(-1), varint(-1), varint(0));
        assertCorrupt(withLength(body), 1, "record 0 has a malformed offset delta: varint is too long");
    }

    @Test
    void testTimestampDeltaOverflowingTheBase() {
        TestBatches.Header header = new TestBatches.Header().records(1);
        header.baseTimestamp = Long.MAX_VALUE;
        header.maxTimestamp = Long.MAX_VALUE;
        RecordBatch view = view(header, record(1, 0, null, null));
        CorruptRecordException e = assertThrows(CorruptRecordException.class, view::records);
        assertTrue(e.getMessage().contains("timestamp delta 1 that overflows"), e.getMessage());
    }

    @Test
    void testTruncatedBatchCannotBeDecoded() {
        ByteBuffer whole = batch(new TestBatches.Header().records(1), VALID_RECORD);
        RecordBatch view = RecordBatch.at(whole.limit(whole.limit() - 1));
        CorruptRecordException e = assertThrows(CorruptRecordException.class, view::records);
        assertTrue(e.getMessage().contains("declares " + (whole.limit() + 1) + " bytes but only " + whole.limit()), e.getMessage());
    }

    @Test
    void testUnknownCodecIdIsUnsupported() {
        TestBatches.Header header = new TestBatches.Header().records(1);
        header.attributes = 6;
        UnsupportedCompressionTypeException e = assertThrows(UnsupportedCompressionTypeException.class,
                () -> view(header, VALID_RECORD).records());
        assertTrue(e.getMessage().contains("id 6"), e.getMessage());
    }

    @Test
    void testOldMagicIsUnsupported() {
        TestBatches.Header header = new TestBatches.Header().records(1);
        header.magic = 1;
        RecordBatch view = view(header, VALID_RECORD);
        for (Runnable check : List.<Runnable>of(view::ensureValid, view::records)) {
            UnsupportedForMessageFormatException e = assertThrows(UnsupportedForMessageFormatException.class, check::run);
            assertTrue(e.getMessage().contains("magic 1"), e.getMessage());
        }
    }

    @Test
    void testCompressedGarbageIsCorruptAndNamesTheCodec() {
        TestBatches.Header header = new TestBatches.Header().records(1);
        header.attributes = (short) CompressionType.LZ4.id();
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> view(header, VALID_RECORD).records());
        assertTrue(e.getMessage().contains("lz4"), e.getMessage());
    }

    @Test
    void testCompressionBombIsRefused() throws IOException {
        TestBatches.Header header = new TestBatches.Header().records(1);
        header.attributes = (short) CompressionType.ZSTD.id();
        byte[] compressed = TestBatches.bytes(CompressionTypeTest.compress(CompressionType.ZSTD, new byte[8 << 20]));
        RecordBatch view = view(header, compressed);
        view.ensureValid();
        RecordTooLargeException e = assertThrows(RecordTooLargeException.class, () -> view.records(1 << 20));
        assertTrue(e.getMessage().contains("more than " + (1 << 20)), e.getMessage());
    }

    @Test
    void testEnsureValidRejectsBadCrc() {
        ByteBuffer buffer = batch(new TestBatches.Header().records(1), VALID_RECORD);
        buffer.put(buffer.limit() - 1, (byte) (buffer.get(buffer.limit() - 1) ^ 1));
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> RecordBatch.at(buffer).ensureValid());
        assertTrue(e.getMessage().contains("failed its CRC32C check"), e.getMessage());
    }

    private static RecordBatch view(TestBatches.Header header, byte[] recordsSection) {
        return RecordBatch.at(batch(header, recordsSection));
    }

    private static void assertCorrupt(byte[] recordsSection, int declaredCount, String expectedMessagePart) {
        TestBatches.Header header = new TestBatches.Header();
        header.recordCount = declaredCount;
        RecordBatch view = view(header, recordsSection);
        view.ensureValid();
        ApiException e = assertThrows(CorruptRecordException.class, view::records);
        assertTrue(e.getMessage().contains(expectedMessagePart), "message was: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("record batch at position 0"), "message names the batch: " + e.getMessage());
    }
}
