package io.tributary.storage.internal.segment;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import io.tributary.storage.io.FileHandle;
import io.tributary.common.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Batch-by-batch helpers for reading and recovering segment files. Stateless. */
public final class BatchScan {

    private BatchScan() {
    }

    /**
     * Reads the bytes the batch at {@code position} claims, bounded by the end of the file and at least
     * a header's worth, so that {@link RecordBatch#ensureValid()} can judge it. A batch claiming more
     * bytes than the file holds is torn (or its length is garbage): only its header is read, so a
     * corrupt length can never make recovery allocate the rest of the segment.
     */
    public static ByteBuffer readCandidate(FileHandle log, ByteBuffer reuse, int position, long fileBytes) throws IOException {
        long remaining = fileBytes - position;
        ByteBuffer overhead = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
        log.readFully(overhead, position);
        long declared = overhead.hasRemaining() ? 0
                : overhead.getInt(RecordBatch.LENGTH_OFFSET) + (long) RecordBatch.LOG_OVERHEAD;
        long wanted = declared > remaining ? RecordBatch.HEADER_SIZE : Math.max(declared, RecordBatch.HEADER_SIZE);
        int length = (int) Math.min(remaining, wanted);
        ByteBuffer buffer = reuse.capacity() >= length ? reuse.clear() : ByteBuffer.allocate(length);
        buffer.limit(length);
        log.readFully(buffer, position);
        return buffer.flip();
    }

    /** Why the candidate batch is invalid, or null when it is valid. */
    static String problemWith(ByteBuffer candidate, int position, long expectedMinOffset, long baseOffset) {
        RecordBatch batch = new RecordBatch(candidate, 0);
        try {
            batch.ensureValid();
        } catch (CorruptRecordException | UnsupportedForMessageFormatException e) {
            return "invalid batch at position " + position + ": " + e.getMessage();
        }
        if (batch.baseOffset() < expectedMinOffset) {
            return "batch at position " + position + " has base offset " + batch.baseOffset()
                    + ", expected at least " + expectedMinOffset;
        }
        if (batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
            return "batch at position " + position + " ends at offset " + batch.lastOffset()
                    + ", too far from the segment base " + baseOffset;
        }
        return null;
    }

    /** The longest prefix of whole batches, offsets increasing, each ending below {@code maxOffsetExclusive}. */
    static ByteBuffer wholeBatches(ByteBuffer buffer, long maxOffsetExclusive) {
        int end = 0;
        long previousLastOffset = Long.MIN_VALUE;
        while (buffer.limit() - end >= RecordBatch.HEADER_SIZE) {
            RecordBatch batch = new RecordBatch(buffer, end);
            long size = (long) batch.batchLength() + RecordBatch.LOG_OVERHEAD;
            if (size < RecordBatch.HEADER_SIZE || end + size > buffer.limit()
                    || batch.lastOffset() >= maxOffsetExclusive || batch.baseOffset() <= previousLastOffset) {
                break;
            }
            previousLastOffset = batch.lastOffset();
            end += (int) size;
        }
        return buffer.slice(0, end).asReadOnlyBuffer();
    }
}
