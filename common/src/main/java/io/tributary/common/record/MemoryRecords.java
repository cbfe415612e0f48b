package io.tributary.common.record;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A view over zero or more v2 record batches stored back to back in a buffer, between the buffer's
 * position and limit at the time {@link #readableRecords} is called (later moves of the buffer's
 * position or limit do not affect the view; changes to its bytes do).
 *
 * <p>Iteration checks framing only: each batch's 12-byte log overhead, a declared length of at least
 * the header size, and magic 2. It does not check CRCs or decode records; call
 * {@link RecordBatch#ensureValid()} on each batch for that. Two modes:
 * <ul>
 *   <li>{@link #iterator()} is lenient about the end: a partial batch at the tail (as a size-capped
 *       fetch response ends) simply ends the iteration;</li>
 *   <li>{@link #strictBatches()} requires the bytes to be exactly a sequence of complete batches and
 *       throws {@link CorruptRecordException} naming the byte position of a partial tail.</li>
 * </ul>
 * In both modes, a length below the header size is garbage and throws {@link CorruptRecordException},
 * and a magic other than 2 throws {@link UnsupportedForMessageFormatException}, each naming the position.
 *
 * <p>The batches handed out are views on the same buffer with absolute positions. Iterating does not
 * modify the buffer, so several threads may iterate concurrently provided nobody writes it.
 */
public final class MemoryRecords implements Iterable<RecordBatch> {

    private final ByteBuffer buffer;
    private final int start;
    private final int end;

    private MemoryRecords(ByteBuffer buffer) {
        // A duplicate shares the bytes but not position, limit or byte order: the caller may move its
        // buffer freely, and the batch views always read big-endian as the format requires.
        this.buffer = buffer.duplicate();
        this.start = buffer.position();
        this.end = buffer.limit();
    }

    /** A view of the batches in {@code buffer} from its position to its limit. */
    public static MemoryRecords readableRecords(ByteBuffer buffer) {
        return new MemoryRecords(buffer);
    }

    /** Bytes in the view, complete batches or not. */
    public int sizeInBytes() {
        return end - start;
    }

    /** A duplicate of the underlying buffer with position and limit set to the view's range. */
    public ByteBuffer buffer() {
        return buffer.duplicate().position(start);
    }

    /** Complete batches in order; a partial batch at the tail ends the iteration silently. */
    @Override
    public Iterator<RecordBatch> iterator() {
        return new BatchIterator(false);
    }

    /** Complete batches in order; a partial batch at the tail throws {@link CorruptRecordException}. */
    public Iterable<RecordBatch> strictBatches() {
        return () -> new BatchIterator(true);
    }

    @Override
    public String toString() {
        return "MemoryRecords(position=" + start + ", sizeInBytes=" + sizeInBytes() + ")";
    }

    /** Walks batch boundaries; not thread-safe (each call to iterator() makes its own). */
    private final class BatchIterator implements Iterator<RecordBatch> {

        private final boolean strict;
        private int position = start;
        private RecordBatch next;

        BatchIterator(boolean strict) {
            this.strict = strict;
        }

        @Override
        public boolean hasNext() {
            if (next == null && position < end) {
                next = frameAt(position);
                if (next != null) {
                    position += next.sizeInBytes();
                }
            }
            return next != null;
        }

        @Override
        public RecordBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more record batches");
            }
            RecordBatch batch = next;
            next = null;
            return batch;
        }

        /** The complete batch at {@code at}, or null for a tolerated partial tail. */
        private RecordBatch frameAt(int at) {
            int remaining = end - at;
            if (remaining < RecordBatch.LOG_OVERHEAD) {
                return partial(at, remaining + " bytes remain, fewer than the " + RecordBatch.LOG_OVERHEAD
                        + "-byte log overhead");
            }
            int length = buffer.getInt(at + RecordBatch.LENGTH_OFFSET);
            if (length < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD) {
                throw new CorruptRecordException("garbage at byte position " + at + ": batch length " + length
                        + " is below the minimum " + (RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD));
            }
            if (remaining > RecordBatch.MAGIC_OFFSET) {
                byte magic = buffer.get(at + RecordBatch.MAGIC_OFFSET);
                if (magic != RecordBatch.MAGIC_V2) {
                    throw new UnsupportedForMessageFormatException("record batch at byte position " + at
                            + " has magic " + magic + "; only the v2 format (magic 2) is supported");
                }
            }
            long size = (long) length + RecordBatch.LOG_OVERHEAD;
            if (size > remaining) {
                return partial(at, "the batch declares " + size + " bytes but only " + remaining + " remain");
            }
            return new RecordBatch(buffer, at);
        }

        private RecordBatch partial(int at, String detail) {
            if (strict) {
                throw new CorruptRecordException("partial record batch at byte position " + at + ": " + detail);
            }
            return null;
        }
    }
}
