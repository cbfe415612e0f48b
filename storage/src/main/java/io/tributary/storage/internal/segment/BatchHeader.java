package io.tributary.storage.internal.segment;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The header fields of one v2 batch that the log needs, and where the batch sits. The log never
 * decodes records; offsets, sizes, timestamps and epochs all come from the 61-byte header.
 *
 * @param position where the batch starts (in a segment file, or in an append buffer)
 * @param baseOffset first offset of the batch
 * @param lastOffset last offset of the batch
 * @param sizeInBytes the whole batch, log overhead included
 * @param partitionLeaderEpoch epoch of the leader that appended it (-1 = none)
 * @param maxTimestamp largest record timestamp of the batch (-1 = none)
 */
public record BatchHeader(int position, long baseOffset, long lastOffset, int sizeInBytes,
        int partitionLeaderEpoch, long maxTimestamp) {

    public long nextOffset() {
        return lastOffset + 1;
    }

    /**
     * Reads the header at {@code at} of {@code buffer}, checking the structure visible in the header
     * (length, magic, last offset delta) and that the whole batch fits in {@code availableBytes}.
     * The CRC is not checked here.
     *
     * @param availableBytes bytes from the batch start to the end of the data it must fit in
     * @param position the position to record in the result
     * @throws CorruptRecordException naming {@code where} when the header is not a plausible batch
     */
    public static BatchHeader parse(ByteBuffer buffer, int at, long availableBytes, int position, String where) {
        long headerBytes = Math.min(buffer.limit() - at, availableBytes);
        if (headerBytes < RecordBatch.HEADER_SIZE) {
            throw new CorruptRecordException(where + ": " + headerBytes + " bytes left at position " + position
                    + ", less than a batch header (" + RecordBatch.HEADER_SIZE + ")");
        }
        RecordBatch batch = new RecordBatch(buffer, at);
        long size = (long) batch.batchLength() + RecordBatch.LOG_OVERHEAD;
        if (size < RecordBatch.HEADER_SIZE || size > availableBytes) {
            throw new CorruptRecordException(where + ": batch at position " + position + " declares " + size
                    + " bytes, but " + availableBytes + " are available");
        }
        if (batch.magic() != RecordBatch.MAGIC_V2 || batch.lastOffsetDelta() < 0) {
            throw new CorruptRecordException(where + ": batch at position " + position + " has magic " + batch.magic()
                    + " and last offset delta " + batch.lastOffsetDelta());
        }
        return new BatchHeader(position, batch.baseOffset(), batch.lastOffset(), (int) size,
                batch.partitionLeaderEpoch(), batch.maxTimestamp());
    }

    /**
     * Splits an append buffer (from its position to its limit) into batch headers, checking that each
     * is structurally sound and that offsets strictly increase from batch to batch.
     *
     * @throws CorruptRecordException when a batch is malformed or does not fit
     * @throws IllegalArgumentException when offsets do not increase
     */
    public static List<BatchHeader> parseAll(ByteBuffer batches) {
        List<BatchHeader> headers = new ArrayList<>();
        int start = batches.position();
        int at = start;
        while (at < batches.limit()) {
            BatchHeader header = parse(batches, at, batches.limit() - at, at - start, "append");
            if (!headers.isEmpty() && header.baseOffset() <= headers.getLast().lastOffset()) {
                throw new IllegalArgumentException("batch at position " + (at - start) + " has base offset "
                        + header.baseOffset() + ", not above the previous batch's last offset "
                        + headers.getLast().lastOffset());
            }
            headers.add(header);
            at += header.sizeInBytes();
        }
        return headers;
    }
}
