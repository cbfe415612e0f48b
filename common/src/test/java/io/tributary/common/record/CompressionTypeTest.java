package io.tributary.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.RecordTooLargeException;
import io.tributary.common.errors.UnsupportedCompressionTypeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyCodec;

/** Codec ids and names, the pinned stream formats (Kafka compatibility), and decompression failure modes. */
@Tag("unit")
class CompressionTypeTest {

    @Test
    void testIdsAndNamesAreKafkas() {
        assertEquals(0, CompressionType.NONE.id());
        assertEquals(1, CompressionType.GZIP.id());
        assertEquals(2, CompressionType.SNAPPY.id());
        assertEquals(3, CompressionType.LZ4.id());
        assertEquals(4, CompressionType.ZSTD.id());
        for (CompressionType type : CompressionType.values()) {
            assertEquals(type, CompressionType.forId(type.id()));
            assertEquals(type, CompressionType.forName(type.configName()));
            assertEquals(type.name().toLowerCase(Locale.ROOT), type.configName());
        }
        assertEquals(CompressionType.LZ4, CompressionType.forName("LZ4"));
    }

    @Test
    void testUnknownIdNamesTheId() {
        UnsupportedCompressionTypeException e = assertThrows(UnsupportedCompressionTypeException.class,
                () -> CompressionType.forId(5));
        assertTrue(e.getMessage().contains("id 5"), e.getMessage());
    }

    @Test
    void testUnknownNameListsTheAcceptedNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompressionType.forName("brotli"));
        assertTrue(e.getMessage().contains("'brotli'") && e.getMessage().contains("zstd"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void testCompressThenDecompressReturnsTheInput(CompressionType type) throws IOException {
        byte[] input = sampleBytes(200_000);
        ByteBuffer compressed = compress(type, input);
        ByteBuffer decompressed = type.decompress(compressed, input.length);
        assertArrayEquals(input, TestBatches.bytes(decompressed));
        assertEquals(0, decompressed.position());
        assertEquals(0, compressed.position(), "decompress must not move the input's position");
    }

    @Test
    void testStreamFormatsArePinned() throws IOException {
        byte[] input = sampleBytes(1000);
        byte[] gzip = TestBatches.bytes(compress(CompressionType.GZIP, input));
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, Arrays.copyOf(gzip, 2), "gzip magic");

        byte[] snappy = TestBatches.bytes(compress(CompressionType.SNAPPY, input));
        assertArrayEquals(SnappyCodec.getMagicHeader(), Arrays.copyOf(snappy, 8), "snappy-java stream magic");

        // LZ4 frame: magic 0x184D2204 little-endian, FLG 0x60 (version 01, independent blocks, no
        // checksums, no content size), BD 0x40 (64 KiB blocks): what Kafka's producer writes.
        byte[] lz4 = TestBatches.bytes(compress(CompressionType.LZ4, input));
        assertArrayEquals(new byte[] {0x04, 0x22, 0x4D, 0x18, 0x60, 0x40}, Arrays.copyOf(lz4, 6), "lz4 frame header");

        byte[] zstd = TestBatches.bytes(compress(CompressionType.ZSTD, input));
        assertArrayEquals(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}, Arrays.copyOf(zstd, 4), "zstd frame magic");
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void testGarbageIsCorruptAndNamesTheCodec(CompressionType type) {
        byte[] garbage = new byte[300];
        new SplittableRandom(7).nextBytes(garbage);
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> type.decompress(ByteBuffer.wrap(garbage), 1 << 20));
        assertTrue(e.getMessage().contains(type.configName()), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void testTruncatedStreamIsCorruptAndNamesTheCodec(CompressionType type) throws IOException {
        byte[] input = sampleBytes(100_000);
        ByteBuffer compressed = compress(type, input);
        ByteBuffer truncated = compressed.limit(compressed.limit() / 2);
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> type.decompress(truncated, input.length));
        assertTrue(e.getMessage().contains(type.configName()), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void testOutputBeyondTheLimitIsRefused(CompressionType type) throws IOException {
        byte[] zeros = new byte[4 << 20];
        ByteBuffer bomb = compress(type, zeros);
        assertTrue(bomb.remaining() < zeros.length / 20, "zeros compress well");
        RecordTooLargeException e = assertThrows(RecordTooLargeException.class,
                () -> type.decompress(bomb, 1 << 20));
        assertTrue(e.getMessage().contains(type.configName()) && e.getMessage().contains(String.valueOf(1 << 20)),
                e.getMessage());
        assertEquals(zeros.length, type.decompress(bomb, zeros.length).remaining(), "exactly at the limit is fine");
    }

    @Test
    void testSnappyChunkDeclaringHugeOutputIsRefusedBeforeAllocation() {
        // Header, then one chunk of 5 bytes whose preamble declares 0xFFFFFFFF uncompressed bytes.
        byte[] chunk = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
        ByteBuffer stream = ByteBuffer.allocate(SnappyCodec.headerSize() + 4 + chunk.length);
        stream.put(SnappyCodec.getMagicHeader()).putInt(1).putInt(1).putInt(chunk.length).put(chunk).flip();
        RecordTooLargeException e = assertThrows(RecordTooLargeException.class,
                () -> CompressionType.SNAPPY.decompress(stream, 1 << 20));
        assertTrue(e.getMessage().contains("snappy"), e.getMessage());
    }

    @Test
    void testSnappyChunkLongerThanTheInputIsCorrupt() {
        ByteBuffer stream = ByteBuffer.allocate(SnappyCodec.headerSize() + 4 + 3);
        stream.put(SnappyCodec.getMagicHeader()).putInt(1).putInt(1).putInt(1000).put(new byte[3]).flip();
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> CompressionType.SNAPPY.decompress(stream, 1 << 20));
        assertTrue(e.getMessage().contains("chunk declares 1000 compressed bytes but 3 remain"), e.getMessage());
    }

    @Test
    void testSnappyWithoutMagicIsCorruptRatherThanReadAsARawBlock() throws IOException {
        byte[] raw = Snappy.compress(sampleBytes(5000));
        CorruptRecordException e = assertThrows(CorruptRecordException.class,
                () -> CompressionType.SNAPPY.decompress(ByteBuffer.wrap(raw), 1 << 20));
        assertTrue(e.getMessage().contains("magic header"), e.getMessage());
    }

    @Test
    void testNoneReturnsTheSameBytesWithoutCopying() {
        ByteBuffer input = ByteBuffer.wrap(new byte[] {1, 2, 3, 4}).position(1);
        ByteBuffer output = CompressionType.NONE.decompress(input, 0);
        assertArrayEquals(new byte[] {2, 3, 4}, TestBatches.bytes(output));
        assertTrue(output.hasArray() && output.array() == input.array(), "NONE shares the input's array");
    }

    @Test
    void testNegativeLimitIsACallerBug() {
        assertThrows(IllegalArgumentException.class, () -> CompressionType.GZIP.decompress(ByteBuffer.allocate(1), -1));
    }

    static ByteBuffer compress(CompressionType type, byte[] input) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = type.wrapForOutput(sink)) {
            out.write(input);
        }
        return ByteBuffer.wrap(sink.toByteArray());
    }

    /** Text-like bytes: compressible, but not trivially. */
    static byte[] sampleBytes(int size) {
        SplittableRandom random = new SplittableRandom(size);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(random.nextInt(1, 27)));
        }
        return bytes;
    }
}
