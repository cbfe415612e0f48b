package io.tributary.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.CorruptRecordException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Varint/varlong encodings against known protobuf sint32/sint64 vectors, plus strict-reader behaviour. */
@Tag("unit")
class ByteUtilsTest {

    @Test
    void testVarintMatchesKnownZigzagEncodings() {
        assertVarint(0, 0x00);
        assertVarint(-1, 0x01);
        assertVarint(1, 0x02);
        assertVarint(-2, 0x03);
        assertVarint(63, 0x7E);
        assertVarint(-64, 0x7F);
        assertVarint(64, 0x80, 0x01);
        assertVarint(300, 0xD8, 0x04);
        assertVarint(Integer.MAX_VALUE, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F);
        assertVarint(Integer.MIN_VALUE, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    }

    @Test
    void testVarlongMatchesKnownZigzagEncodings() {
        assertVarlong(0L, 0x00);
        assertVarlong(-1L, 0x01);
        assertVarlong(150L, 0xAC, 0x02);
        assertVarlong(Long.MAX_VALUE, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        assertVarlong(Long.MIN_VALUE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
    }

    @Test
    void testRandomValuesRoundTripAndSizesMatchWrittenBytes() {
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer buffer = ByteBuffer.allocate(16);
        for (int i = 0; i < 10_000; i++) {
            int intValue = random.nextInt() >> random.nextInt(32);
            buffer.clear();
            ByteUtils.writeVarint(intValue, buffer);
            assertEquals(ByteUtils.sizeOfVarint(intValue), buffer.position(), "size of varint " + intValue);
            assertEquals(intValue, ByteUtils.readVarint(buffer.flip()));
            assertFalse(buffer.hasRemaining());

            long longValue = random.nextLong() >> random.nextInt(64);
            buffer.clear();
            ByteUtils.writeVarlong(longValue, buffer);
            assertEquals(ByteUtils.sizeOfVarlong(longValue), buffer.position(), "size of varlong " + longValue);
            assertEquals(longValue, ByteUtils.readVarlong(buffer.flip()));
            assertFalse(buffer.hasRemaining());
        }
    }

    @Test
    void testVarintLongerThanFiveBytesIsCorrupt() {
        ByteBuffer sixBytes = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> ByteUtils.readVarint(sixBytes));
        assertTrue(e.getMessage().contains("varint is too long"), e.getMessage());
    }

    @Test
    void testVarintWithBitsBeyond32IsCorrupt() {
        ByteBuffer overflowing = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x10);
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> ByteUtils.readVarint(overflowing));
        assertTrue(e.getMessage().contains("fifth byte 0x10"), e.getMessage());
    }

    @Test
    void testVarlongWithBitsBeyond64IsCorrupt() {
        ByteBuffer overflowing = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02);
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> ByteUtils.readVarlong(overflowing));
        assertTrue(e.getMessage().contains("varlong is too long"), e.getMessage());
    }

    @Test
    void testTruncatedVarintUnderflows() {
        assertThrows(BufferUnderflowException.class, () -> ByteUtils.readVarint(bytes(0x80, 0x80)));
        assertThrows(BufferUnderflowException.class, () -> ByteUtils.readVarlong(bytes(0xFF)));
    }

    private static void assertVarint(int value, int... expected) {
        ByteBuffer buffer = ByteBuffer.allocate(ByteUtils.MAX_VARINT_BYTES);
        ByteUtils.writeVarint(value, buffer);
        assertArrayEquals(toBytes(expected), TestBatches.bytes(buffer.flip()), "encoding of " + value);
        assertEquals(expected.length, ByteUtils.sizeOfVarint(value), "size of " + value);
        assertEquals(value, ByteUtils.readVarint(bytes(expected)));
    }

    private static void assertVarlong(long value, int... expected) {
        ByteBuffer buffer = ByteBuffer.allocate(ByteUtils.MAX_VARLONG_BYTES);
        ByteUtils.writeVarlong(value, buffer);
        assertArrayEquals(toBytes(expected), TestBatches.bytes(buffer.flip()), "encoding of " + value);
        assertEquals(expected.length, ByteUtils.sizeOfVarlong(value), "size of " + value);
        assertEquals(value, ByteUtils.readVarlong(bytes(expected)));
    }

    private static ByteBuffer bytes(int... unsignedBytes) {
        return ByteBuffer.wrap(toBytes(unsignedBytes));
    }

    private static byte[] toBytes(int... unsignedBytes) {
        byte[] out = new byte[unsignedBytes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) unsignedBytes[i];
        }
        return out;
    }
}
