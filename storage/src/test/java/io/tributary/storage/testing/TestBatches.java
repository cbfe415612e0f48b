package io.tributary.storage.testing;

import io.tributary.common.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Builds valid v2 record batches for storage tests: a correct 61-byte header (batch length, last
 * offset delta, record count, timestamps, epoch, magic 2, CRC32C over attributes..end) followed by an
 * opaque "records" section of pseudo-random bytes. The log never decodes records, so they need not
 * be real records.
 */
public final class TestBatches {

    private TestBatches() {
    }

    /** A batch of {@code recordCount} offsets from {@code baseOffset}, with {@code payloadBytes} of records. */
    public static ByteBuffer batch(long baseOffset, int recordCount, long maxTimestamp, int epoch, int payloadBytes) {
        return batch(baseOffset, recordCount, maxTimestamp, maxTimestamp, epoch, payloadBytes, baseOffset);
    }

    /** A batch with everything chosen; {@code payloadSeed} determines the records section's bytes. */
    public static ByteBuffer batch(long baseOffset, int recordCount, long baseTimestamp, long maxTimestamp, int epoch,
            int payloadBytes, long payloadSeed) {
        if (recordCount < 1) {
            throw new IllegalArgumentException("a batch holds at least one record");
        }
        int size = RecordBatch.HEADER_SIZE + payloadBytes;
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putLong(baseOffset);
        buffer.putInt(size - RecordBatch.LOG_OVERHEAD);
        buffer.putInt(epoch);
        buffer.put(RecordBatch.MAGIC_V2);
        buffer.putInt(0);
        buffer.putShort((short) 0);
        buffer.putInt(recordCount - 1);
        buffer.putLong(baseTimestamp);
        buffer.putLong(maxTimestamp);
        buffer.putLong(RecordBatch.NO_PRODUCER_ID);
        buffer.putShort(RecordBatch.NO_PRODUCER_EPOCH);
        buffer.putInt(RecordBatch.NO_SEQUENCE);
        buffer.putInt(recordCount);
        SplittableRandom random = new SplittableRandom(payloadSeed);
        while (buffer.hasRemaining()) {
            buffer.put((byte) random.nextInt(256));
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), RecordBatch.ATTRIBUTES_OFFSET, size - RecordBatch.ATTRIBUTES_OFFSET);
        buffer.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
        return buffer.flip();
    }

    /** The buffers back to back, as one append. */
    public static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer batch : batches) {
            size += batch.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer batch : batches) {
            all.put(batch.duplicate());
        }
        return all.flip();
    }

    /** The bytes of a buffer from position to limit. */
    public static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** The base offsets of the batches in {@code batches}, in order. */
    public static List<Long> baseOffsets(ByteBuffer batches) {
        List<Long> offsets = new ArrayList<>();
        int at = batches.position();
        while (at < batches.limit()) {
            RecordBatch batch = new RecordBatch(batches, at);
            offsets.add(batch.baseOffset());
            at += batch.sizeInBytes();
        }
        return offsets;
    }
}
