package io.tributary.common.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.RecordTooLargeException;
import io.tributary.common.errors.UnsupportedCompressionTypeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.xerial.snappy.SnappyError;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * The codec of a batch's records section; bits 0-2 of the v2 batch attributes. The whole records
 * section (everything after the 61-byte header) is compressed as one stream.
 *
 * <p>The stream formats are the ones Kafka clients and brokers read and write, so compressed batches
 * are byte-compatible in both directions:
 * <ul>
 *   <li>gzip: RFC 1952 via {@code java.util.zip};</li>
 *   <li>snappy: snappy-java's stream framing ({@code SnappyOutputStream}, 32 KiB blocks);</li>
 *   <li>lz4: the LZ4 frame format with independent 64 KiB blocks and no block or content checksum
 *       (the batch CRC already covers the bytes);</li>
 *   <li>zstd: a zstd frame from zstd-jni's streaming API, level 3.</li>
 * </ul>
 *
 * <p><b>Decompression bound.</b> {@link #decompress} never produces more than the caller's
 * {@code maxDecompressedBytes} (see {@link RecordBatch#DEFAULT_MAX_DECOMPRESSED_BYTES}); the output
 * buffer grows by doubling up to that limit and the stream is abandoned as soon as it would exceed
 * it, so a small batch of garbage or a compression bomb cannot make the broker allocate more.
 * Snappy framing is checked first (see {@code SnappyFraming}) because snappy-java sizes its buffers
 * from declared lengths. The other libraries' working memory is bounded by their formats: LZ4 blocks
 * are at most 4 MiB, gzip uses fixed buffers, and a zstd frame's window is capped by zstd's default
 * decoder limit (2^27 bytes), which this class leaves in place so frames written at any level decode.
 *
 * <p>Constants are immutable and thread-safe; every call creates its own codec streams.
 */
public enum CompressionType {
    NONE(0, "none") {
        @Override
        OutputStream wrapForOutput(OutputStream out) {
            return out;
        }

        @Override
        InputStream wrapForInput(InputStream in) {
            return in;
        }
    },
    GZIP(1, "gzip") {
        @Override
        OutputStream wrapForOutput(OutputStream out) throws IOException {
            return new GZIPOutputStream(out, CODEC_BUFFER_BYTES);
        }

        @Override
        InputStream wrapForInput(InputStream in) throws IOException {
            return new GZIPInputStream(in, CODEC_BUFFER_BYTES);
        }
    },
    SNAPPY(2, "snappy") {
        @Override
        OutputStream wrapForOutput(OutputStream out) {
            return new SnappyOutputStream(out);
        }

        @Override
        InputStream wrapForInput(InputStream in) throws IOException {
            return new SnappyInputStream(in);
        }

        @Override
        void checkFraming(ByteBuffer compressed, int maxDecompressedBytes) {
            SnappyFraming.checkFraming(compressed, maxDecompressedBytes);
        }
    },
    LZ4(3, "lz4") {
        @Override
        OutputStream wrapForOutput(OutputStream out) throws IOException {
            return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
        }

        @Override
        InputStream wrapForInput(InputStream in) throws IOException {
            return new LZ4FrameInputStream(in);
        }
    },
    ZSTD(4, "zstd") {
        @Override
        OutputStream wrapForOutput(OutputStream out) throws IOException {
            return new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE, ZSTD_LEVEL);
        }

        @Override
        InputStream wrapForInput(InputStream in) throws IOException {
            return new ZstdInputStreamNoFinalizer(in, RecyclingBufferPool.INSTANCE);
        }
    };

    private static final int CODEC_BUFFER_BYTES = 8 * 1024;
    private static final int ZSTD_LEVEL = 3;
    private static final int MIN_INITIAL_OUTPUT_BYTES = 1024;
    /** First guess of the inflation ratio; the output buffer doubles from there when it is wrong. */
    private static final int INITIAL_RATIO_GUESS = 4;

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The 3-bit codec id stored in the batch attributes. */
    public int id() {
        return id;
    }

    /** The lower-case name used in configuration ({@code compression.type}). */
    public String configName() {
        return configName;
    }

    /**
     * @throws UnsupportedCompressionTypeException naming {@code id} when no codec has it
     */
    public static CompressionType forId(int id) {
        for (CompressionType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new UnsupportedCompressionTypeException("unknown compression type id " + id
                + "; supported ids are 0 (none) to 4 (zstd)");
    }

    /**
     * Looks a codec up by its configuration name, ignoring case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static CompressionType forName(String name) {
        for (CompressionType type : values()) {
            if (type.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown compression type '" + name + "'; expected one of "
                + Arrays.stream(values()).map(CompressionType::configName).toList());
    }

    /**
     * Wraps {@code out} so bytes written to the result reach {@code out} compressed. The caller must
     * close the returned stream to finish the frame (for {@link #NONE} that closes {@code out}).
     */
    abstract OutputStream wrapForOutput(OutputStream out) throws IOException;

    abstract InputStream wrapForInput(InputStream in) throws IOException;

    /** Rejects framing that would make the codec library allocate beyond the limit; most codecs need nothing. */
    void checkFraming(ByteBuffer compressed, int maxDecompressedBytes) {
    }

    /**
     * Decompresses the remaining bytes of {@code compressed} (its position is not moved). For
     * {@link #NONE} this returns a slice over the same bytes, without copying or a size check.
     *
     * @return a buffer with position 0 and limit = the decompressed size
     * @throws CorruptRecordException naming this codec when the input is not a valid stream
     * @throws RecordTooLargeException when the output would exceed {@code maxDecompressedBytes}
     */
    public ByteBuffer decompress(ByteBuffer compressed, int maxDecompressedBytes) {
        if (this == NONE) {
            return compressed.slice();
        }
        if (maxDecompressedBytes < 0) {
            throw new IllegalArgumentException("maxDecompressedBytes must not be negative: " + maxDecompressedBytes);
        }
        checkFraming(compressed, maxDecompressedBytes);
        try (InputStream in = wrapForInput(new ByteBufferInputStream(compressed.slice()))) {
            return readBounded(in, compressed.remaining(), maxDecompressedBytes);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException | SnappyError e) {
            // Codec libraries signal bad input with assorted exception types (snappy even with an Error);
            // all of them mean the same thing here.
            throw new CorruptRecordException(configName + "-compressed records cannot be decompressed: " + e, e);
        }
    }

    private ByteBuffer readBounded(InputStream in, int compressedBytes, int maxDecompressedBytes) throws IOException {
        long guess = Math.max(MIN_INITIAL_OUTPUT_BYTES, (long) compressedBytes * INITIAL_RATIO_GUESS);
        byte[] out = new byte[(int) Math.min(guess, maxDecompressedBytes)];
        int size = 0;
        while (true) {
            if (size == out.length) {
                if (size == maxDecompressedBytes) {
                    if (in.read() < 0) {
                        break;
                    }
                    throw new RecordTooLargeException(configName + "-compressed records decompress to more than "
                            + maxDecompressedBytes + " bytes, the limit for one batch");
                }
                out = Arrays.copyOf(out, (int) Math.min(2L * out.length, maxDecompressedBytes));
            }
            int read = in.read(out, size, out.length - size);
            if (read < 0) {
                break;
            }
            size += read;
        }
        return ByteBuffer.wrap(out, 0, size);
    }
}
