package io.tributary.common.record;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Hand-encodes batches and records field by field, without {@link RecordBatchBuilder}, so tests can
 * produce exactly the malformed shapes they need. The CRC comes from {@code java.util.zip.CRC32C}.
 */
final class TestBatches {

    private TestBatches() {
    }

    /** Header fields of a hand-made batch; defaults describe a plain, valid, producer-side batch. */
    static final class Header {
        long baseOffset = 0;
        int partitionLeaderEpoch = -1;
        byte magic = 2;
        short attributes = 0;
        int lastOffsetDelta;
        long baseTimestamp = 1_000L;
        long maxTimestamp = 1_000L;
        long producerId = -1;
        short producerEpoch = -1;
        int baseSequence = -1;
        int recordCount;

        Header records(int count) {
            this.recordCount = count;
            this.lastOffsetDelta = Math.max(0, count - 1);
            return this;
        }
    }

    /** A complete batch: the 61-byte header described by {@code header}, then {@code recordsSection}, with a correct CRC. */
    static ByteBuffer batch(Header header, byte[] recordsSection) {
        ByteBuffer buffer = ByteBuffer.allocate(61 + recordsSection.length);
        buffer.putLong(header.baseOffset)
                .putInt(49 + recordsSection.length)
                .putInt(header.partitionLeaderEpoch)
                .put(header.magic)
                .putInt(0)
                .putShort(header.attributes)
                .putInt(header.lastOffsetDelta)
                .putLong(header.baseTimestamp)
                .putLong(header.maxTimestamp)
                .putLong(header.producerId)
                .putShort(header.producerEpoch)
                .putInt(header.baseSequence)
                .putInt(header.recordCount)
                .put(recordsSection);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 21, buffer.capacity() - 21);
        buffer.putInt(17, (int) crc.getValue());
        return buffer.flip();
    }

    /** A well-formed record body with no headers, length prefix included. */
    static byte[] record(long timestampDelta, int offsetDelta, byte[] key, byte[] value) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.writeBytes(varlong(timestampDelta));
        body.writeBytes(varint(offsetDelta));
        writeField(body, key);
        writeField(body, value);
        body.writeBytes(varint(0));
        return withLength(body.toByteArray());
    }

    /** Prefixes {@code body} with its length as a varint. */
    static byte[] withLength(byte[] body) {
        return concat(varint(body.length), body);
    }

    static byte[] varint(int value) {
        ByteBuffer buffer = ByteBuffer.allocate(ByteUtils.MAX_VARINT_BYTES);
        ByteUtils.writeVarint(value, buffer);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    static byte[] varlong(long value) {
        ByteBuffer buffer = ByteBuffer.allocate(ByteUtils.MAX_VARLONG_BYTES);
        ByteUtils.writeVarlong(value, buffer);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Batches back to back in one fresh heap buffer (position 0). */
    static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer batch : batches) {
            size += batch.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer batch : batches) {
            out.put(batch.duplicate());
        }
        return out.flip();
    }

    /** A copy of the buffer's bytes from position to limit. */
    static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void writeField(ByteArrayOutputStream out, byte[] bytes) {
        if (bytes == null) {
            out.writeBytes(varint(-1));
        } else {
            out.writeBytes(varint(bytes.length));
            out.writeBytes(bytes);
        }
    }
}
