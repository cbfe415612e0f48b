package io.tributary.common.record;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.RecordTooLargeException;
import java.nio.ByteBuffer;
import org.xerial.snappy.SnappyCodec;

/**
 * Pre-flight check of snappy-java's stream framing before {@code SnappyInputStream} sees it.
 *
 * <p>Framing: a 16-byte header (8-byte magic {@code 0x82 "SNAPPY" 0x00}, int version, int compatible
 * version), then chunks of {@code int compressedLength} followed by a raw snappy block, whose first
 * bytes are its uncompressed length as an unsigned little-endian base-128 varint. A stream may be the
 * concatenation of several such streams, each starting with its own header.
 *
 * <p>Why: {@code SnappyInputStream} allocates each chunk's output array from the length the chunk
 * declares (up to 2 GiB) and silently treats input without the magic as one raw block, so garbage
 * could make it allocate far more than the batch could ever hold. Walking the chunk lengths first
 * costs a few reads per 32 KiB chunk and bounds every allocation by the caller's limit. Stateless.
 */
final class SnappyFraming {

    private static final int MAX_LENGTH_VARINT_BYTES = 5;

    private SnappyFraming() {
    }

    /**
     * @throws CorruptRecordException when the framing is malformed
     * @throws RecordTooLargeException when the chunks declare more than {@code maxDecompressedBytes} in total
     */
    static void checkFraming(ByteBuffer compressed, int maxDecompressedBytes) {
        ByteBuffer in = compressed.slice();
        checkHeader(in);
        long declaredBytes = 0;
        while (in.hasRemaining()) {
            if (in.remaining() < Integer.BYTES) {
                throw corrupt("stream ends with " + in.remaining() + " bytes, too few for a chunk length");
            }
            int chunkLength = in.getInt(in.position());
            if (chunkLength == SnappyCodec.MAGIC_HEADER_HEAD) {
                checkHeader(in);
                continue;
            }
            in.position(in.position() + Integer.BYTES);
            if (chunkLength < 0 || chunkLength > in.remaining()) {
                throw corrupt("chunk declares " + chunkLength + " compressed bytes but " + in.remaining() + " remain");
            }
            declaredBytes += uncompressedLength(in.slice(in.position(), chunkLength));
            if (declaredBytes > maxDecompressedBytes) {
                throw new RecordTooLargeException("snappy-compressed records declare more than " + maxDecompressedBytes
                        + " decompressed bytes, the limit for one batch");
            }
            in.position(in.position() + chunkLength);
        }
    }

    private static void checkHeader(ByteBuffer in) {
        byte[] magic = SnappyCodec.getMagicHeader();
        if (in.remaining() < SnappyCodec.headerSize()) {
            throw corrupt("stream has " + in.remaining() + " bytes where a " + SnappyCodec.headerSize() + "-byte header is expected");
        }
        for (int i = 0; i < magic.length; i++) {
            if (in.get(in.position() + i) != magic[i]) {
                throw corrupt("stream does not start with the snappy-java magic header");
            }
        }
        in.position(in.position() + SnappyCodec.headerSize());
    }

    private static long uncompressedLength(ByteBuffer block) {
        long length = 0;
        for (int i = 0; i < MAX_LENGTH_VARINT_BYTES && block.hasRemaining(); i++) {
            int b = block.get() & 0xFF;
            length |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return length;
            }
        }
        throw corrupt("chunk has a malformed uncompressed-length preamble");
    }

    private static CorruptRecordException corrupt(String problem) {
        return new CorruptRecordException("snappy-compressed records are corrupt: " + problem);
    }
}
