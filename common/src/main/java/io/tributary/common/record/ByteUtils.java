package io.tributary.common.record;

import io.tributary.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;

/**
 * Variable-length integer helpers for the v2 record format.
 *
 * <p>Values are zigzag-encoded (so small negative numbers stay short: 0, -1, 1, -2 ... map to 0, 1, 2,
 * 3 ...) and then written as little-endian groups of 7 bits, the high bit of each byte saying "more
 * follows" (the protobuf {@code sint32}/{@code sint64} encoding). A varint takes 1 to 5 bytes, a
 * varlong 1 to 10.
 *
 * <p>Readers are strict: an encoding longer than the type allows, or whose last byte carries bits the
 * type cannot hold, is rejected with {@link CorruptRecordException}, because no conforming writer
 * produces it. Running out of bytes mid-value throws {@link java.nio.BufferUnderflowException}, which
 * callers decoding a bounded slice translate into a message about the enclosing structure.
 *
 * <p>Stateless and thread-safe; the buffers passed in are the caller's to confine.
 */
public final class ByteUtils {

    /** Largest encoded size of a 32-bit varint. */
    public static final int MAX_VARINT_BYTES = 5;
    /** Largest encoded size of a 64-bit varlong. */
    public static final int MAX_VARLONG_BYTES = 10;

    private ByteUtils() {
    }

    /** Reads a zigzag varint at the buffer's position, advancing it. */
    public static int readVarint(ByteBuffer buffer) {
        int raw = 0;
        int shift = 0;
        int b;
        while (((b = buffer.get() & 0xFF) & 0x80) != 0) {
            raw |= (b & 0x7F) << shift;
            shift += 7;
            if (shift == 28) {
                // The fifth byte holds only bits 28..31; a set continuation bit or more bits is not a 32-bit value.
                b = buffer.get() & 0xFF;
                if (b > 0x0F) {
                    throw new CorruptRecordException("varint is too long: fifth byte 0x" + Integer.toHexString(b)
                            + " carries bits beyond 32");
                }
                break;
            }
        }
        raw |= b << shift;
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Reads a zigzag varlong at the buffer's position, advancing it. */
    public static long readVarlong(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        int b;
        while (((b = buffer.get() & 0xFF) & 0x80) != 0) {
            raw |= (long) (b & 0x7F) << shift;
            shift += 7;
            if (shift == 63) {
                // The tenth byte holds only bit 63.
                b = buffer.get() & 0xFF;
                if (b > 0x01) {
                    throw new CorruptRecordException("varlong is too long: tenth byte 0x" + Integer.toHexString(b)
                            + " carries bits beyond 64");
                }
                break;
            }
        }
        raw |= (long) b << shift;
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Writes {@code value} as a zigzag varint at the buffer's position, advancing it. */
    public static void writeVarint(int value, ByteBuffer buffer) {
        int raw = (value << 1) ^ (value >> 31);
        while ((raw & ~0x7F) != 0) {
            buffer.put((byte) ((raw & 0x7F) | 0x80));
            raw >>>= 7;
        }
        buffer.put((byte) raw);
    }

    /** Writes {@code value} as a zigzag varlong at the buffer's position, advancing it. */
    public static void writeVarlong(long value, ByteBuffer buffer) {
        long raw = (value << 1) ^ (value >> 63);
        while ((raw & ~0x7FL) != 0) {
            buffer.put((byte) ((raw & 0x7F) | 0x80));
            raw >>>= 7;
        }
        buffer.put((byte) raw);
    }

    /** Bytes {@link #writeVarint} uses for {@code value}: 1 to 5. */
    public static int sizeOfVarint(int value) {
        int raw = (value << 1) ^ (value >> 31);
        int significantBits = Integer.SIZE - Integer.numberOfLeadingZeros(raw | 1);
        return (significantBits + 6) / 7;
    }

    /** Bytes {@link #writeVarlong} uses for {@code value}: 1 to 10. */
    public static int sizeOfVarlong(long value) {
        long raw = (value << 1) ^ (value >> 63);
        int significantBits = Long.SIZE - Long.numberOfLeadingZeros(raw | 1);
        return (significantBits + 6) / 7;
    }
}
