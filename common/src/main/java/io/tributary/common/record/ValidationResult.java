package io.tributary.common.record;

/**
 * What {@link LogValidator#validateAndAssignOffsets} assigned and measured, for the append and the
 * produce response. Immutable.
 *
 * @param firstOffset          offset of the first record (the first batch's new base offset)
 * @param lastOffset           offset of the last record
 * @param maxTimestamp         largest record timestamp; the append time for log-append-time topics
 * @param offsetOfMaxTimestamp offset of the first record carrying {@code maxTimestamp} (for
 *                             log-append time every record does, so this is {@code firstOffset})
 * @param logAppendTimeMs      the append time stamped on the batches, or -1 for create-time topics
 * @param recordCount          records across all batches
 * @param batchCount           batches validated
 * @param sizeInBytes          bytes of all batches
 */
public record ValidationResult(long firstOffset, long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp,
                               long logAppendTimeMs, int recordCount, int batchCount, int sizeInBytes) {
}
