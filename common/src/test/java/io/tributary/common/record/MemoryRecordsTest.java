package io.tributary.common.record;

import static io.tributary.common.record.TestBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Batch framing over a buffer: lenient and strict iteration, and every framing error. */
@Tag("unit")
class MemoryRecordsTest {

    @Test
    void testEmptyBufferHasNoBatches() {
        MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.allocate(0));
        assertEquals(0, records.sizeInBytes());
        assertFalse(records.iterator().hasNext());
        assertFalse(records.strictBatches().iterator().hasNext());
    }

    @Test
    void testBatchesAreFoundBackToBackFromTheBufferPosition() {
        ByteBuffer first = batch(CompressionType.NONE, 2);
        ByteBuffer second = batch(CompressionType.LZ4, 3);
        ByteBuffer third = batch(CompressionType.GZIP, 1);
        ByteBuffer all = TestBatches.concat(ByteBuffer.wrap(new byte[5]), first, second, third).position(5);
        MemoryRecords records = MemoryRecords.readableRecords(all);
        all.position(0).limit(1); // later moves of the caller's buffer do not change the view

        assertEquals(first.remaining() + second.remaining() + third.remaining(), records.sizeInBytes());
        List<Integer> positions = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (RecordBatch batch : records.strictBatches()) {
            batch.ensureValid();
            positions.add(batch.position());
            counts.add(batch.records().size());
        }
        assertEquals(List.of(5, 5 + first.remaining(), 5 + first.remaining() + second.remaining()), positions);
        assertEquals(List.of(2, 3, 1), counts);
        assertEquals(3, count(records.iterator()));
        ByteBuffer view = records.buffer();
        assertEquals(5, view.position());
        assertEquals(5 + records.sizeInBytes(), view.limit());
    }

    @Test
    void testPartialTailEndsLenientIterationButFailsStrictIteration() {
        ByteBuffer whole = batch(CompressionType.NONE, 2);
        ByteBuffer partial = batch(CompressionType.NONE, 1).limit(30);
        ByteBuffer all = TestBatches.concat(whole, partial);
        MemoryRecords records = MemoryRecords.readableRecords(all);

        assertEquals(1, count(records.iterator()));
        Iterator<RecordBatch> strict = records.strictBatches().iterator();
        assertEquals(0, strict.next().position());
        CorruptRecordException e = assertThrows(CorruptRecordException.class, strict::hasNext);
        assertTrue(e.getMessage().contains("partial record batch at byte position " + whole.remaining())
                && e.getMessage().contains("only 30 remain"), e.getMessage());
    }

    @Test
    void testTailShorterThanTheLogOverhead() {
        ByteBuffer all = TestBatches.concat(batch(CompressionType.NONE, 1), ByteBuffer.wrap(new byte[7]));
        MemoryRecords records = MemoryRecords.readableRecords(all);
        assertEquals(1, count(records.iterator()));
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> count(records.strictBatches().iterator()));
        assertTrue(e.getMessage().contains("7 bytes remain, fewer than the 12-byte log overhead"), e.getMessage());
    }

    @Test
    void testLengthBelowTheHeaderIsGarbageInBothModes() {
        ByteBuffer first = batch(CompressionType.NONE, 1);
        ByteBuffer garbage = ByteBuffer.allocate(70).putLong(0).putInt(20).flip().limit(70);
        MemoryRecords records = MemoryRecords.readableRecords(TestBatches.concat(first, garbage));
        String expected = "garbage at byte position " + first.remaining() + ": batch length 20 is below the minimum 49";
        for (Iterator<RecordBatch> it : List.of(records.iterator(), records.strictBatches().iterator())) {
            it.next();
            CorruptRecordException e = assertThrows(CorruptRecordException.class, it::hasNext);
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    @Test
    void testOldMagicIsUnsupportedAndNamesThePosition() {
        ByteBuffer first = batch(CompressionType.NONE, 1);
        ByteBuffer second = batch(CompressionType.NONE, 1);
        second.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        MemoryRecords records = MemoryRecords.readableRecords(TestBatches.concat(first, second));
        Iterator<RecordBatch> it = records.iterator();
        it.next();
        UnsupportedForMessageFormatException e = assertThrows(UnsupportedForMessageFormatException.class, it::hasNext);
        assertTrue(e.getMessage().contains("byte position " + first.remaining() + " has magic 1"), e.getMessage());
    }

    @Test
    void testNextPastTheEndThrows() {
        Iterator<RecordBatch> it = MemoryRecords.readableRecords(batch(CompressionType.NONE, 1)).iterator();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    private static ByteBuffer batch(CompressionType compression, int records) {
        RecordBatchBuilder builder = new RecordBatchBuilder().compression(compression);
        for (int i = 0; i < records; i++) {
            builder.append(1_000L + i, utf8("k" + i), utf8("value " + i));
        }
        return builder.build();
    }

    private static int count(Iterator<RecordBatch> it) {
        int count = 0;
        while (it.hasNext()) {
            it.next();
            count++;
        }
        return count;
    }
}
