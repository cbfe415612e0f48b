package io.tributary.common.record;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An {@link InputStream} over the remaining bytes of a buffer, so the stream-based codec libraries
 * can read a batch's records section without copying it out first. Reading advances the buffer's
 * position; the caller passes a slice it owns. Not thread-safe.
 */
final class ByteBufferInputStream extends InputStream {

    private final ByteBuffer buffer;

    ByteBufferInputStream(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public int read() {
        return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] destination, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            return -1;
        }
        int count = Math.min(length, buffer.remaining());
        buffer.get(destination, offset, count);
        return count;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }
}
