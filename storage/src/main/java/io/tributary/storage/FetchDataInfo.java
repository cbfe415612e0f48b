package io.tributary.storage;

import java.nio.ByteBuffer;

/**
 * The result of a read: whole v2 record batches, back to back, in offset order.
 *
 * @param fetchOffset the offset that was asked for; the first batch contains it (its base offset may
 *     be lower) or, when the log has a gap there, is the first batch after it
 * @param records a read-only buffer positioned at 0; empty when nothing could be returned. The
 *     buffer is a private copy: it stays valid after the segment is deleted
 */
public record FetchDataInfo(long fetchOffset, ByteBuffer records) {

    /** No batches. */
    public static FetchDataInfo empty(long fetchOffset) {
        return new FetchDataInfo(fetchOffset, ByteBuffer.allocate(0).asReadOnlyBuffer());
    }

    /** Whether no batch was returned. */
    public boolean isEmpty() {
        return !records.hasRemaining();
    }
}
