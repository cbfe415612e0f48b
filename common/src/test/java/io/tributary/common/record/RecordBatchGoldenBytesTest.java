package io.tributary.common.record;

import static io.tributary.common.record.TestBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact v2 ("magic 2") byte layout (DESIGN.md §3: batches must be byte-compatible with
 * Kafka). The expected bytes are written out here field by field from the format description, with
 * the records' varints as literal bytes, and the CRC is computed with {@link CRC32C} over attributes
 * to the end. Nothing in this test calls the code under test to produce the expected side.
 */
@Tag("unit")
class RecordBatchGoldenBytesTest {

    @Test
    void testUncompressedBatchMatchesTheLayoutByteForByte() {
        ByteBuffer built = new RecordBatchBuilder()
                .baseOffset(5)
                .partitionLeaderEpoch(7)
                .producerId(1000)
                .producerEpoch((short) 3)
                .baseSequence(11)
                .transactional(true)
                .append(1000L, utf8("k"), utf8("v1"), List.of(new Header("h", null)))
                .append(1005L, null, new byte[0])
                .build();

        assertArrayEquals(expectedBatch(), TestBatches.bytes(built));
    }

    @Test
    void testReadingTheGoldenBytesYieldsTheRecords() {
        RecordBatch view = RecordBatch.at(ByteBuffer.wrap(expectedBatch()));
        view.ensureValid();
        assertEquals(List.of(
                new Record(5, 1000L, utf8("k"), utf8("v1"), List.of(new Header("h", null))),
                new Record(6, 1005L, null, new byte[0], List.of())), view.records());
    }

    private static byte[] expectedBatch() {
        byte[] records = {
            // record 0: length 12 (zigzag 24)
            0x18,
            0x00,             // attributes
            0x00,             // timestampDelta 0
            0x00,             // offsetDelta 0
            0x02, 'k',        // key length 1, "k"
            0x04, 'v', '1',   // value length 2, "v1"
            0x02,             // 1 header
            0x02, 'h',        // header key length 1, "h"
            0x01,             // header value length -1 (null)
            // record 1: length 6 (zigzag 12)
            0x0C,
            0x00,             // attributes
            0x0A,             // timestampDelta 5
            0x02,             // offsetDelta 1
            0x01,             // key length -1 (null)
            0x00,             // value length 0 (empty)
            0x00,             // 0 headers
        };
        ByteBuffer batch = ByteBuffer.allocate(61 + records.length);
        batch.putLong(5L);                      //  0 baseOffset
        batch.putInt(49 + records.length);      //  8 batchLength: bytes after this field
        batch.putInt(7);                        // 12 partitionLeaderEpoch
        batch.put((byte) 2);                    // 16 magic
        batch.putInt(0);                        // 17 crc, filled in below
        batch.putShort((short) 0x0010);         // 21 attributes: transactional, create time, no codec
        batch.putInt(1);                        // 23 lastOffsetDelta
        batch.putLong(1000L);                   // 27 baseTimestamp
        batch.putLong(1005L);                   // 35 maxTimestamp
        batch.putLong(1000L);                   // 43 producerId
        batch.putShort((short) 3);              // 51 producerEpoch
        batch.putInt(11);                       // 53 baseSequence
        batch.putInt(2);                        // 57 recordCount
        batch.put(records);                     // 61 records
        CRC32C crc = new CRC32C();
        crc.update(batch.array(), 21, batch.capacity() - 21);
        batch.putInt(17, (int) crc.getValue());
        return batch.array();
    }
}
