package io.tributary.common.record;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A {@link ByteArrayOutputStream} that hands out its bytes without the defensive copy
 * {@code toByteArray()} makes: the builder compresses straight into it and returns a buffer wrapping
 * its array. Not thread-safe.
 */
final class GrowableOutputStream extends ByteArrayOutputStream {

    GrowableOutputStream(int initialCapacity) {
        super(initialCapacity);
    }

    /** Appends {@code count} zero bytes, reserving room to be overwritten later (the batch header). */
    void skip(int count) {
        write(new byte[count], 0, count);
    }

    /** A buffer over the bytes written so far: position 0, limit {@link #size()}; shares the array. */
    ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(buf, 0, count);
    }
}
