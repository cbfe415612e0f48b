package io.tributary.common.record;

/**
 * What a batch's timestamps mean; bit 3 of the v2 batch attributes.
 *
 * <ul>
 *   <li>{@link #CREATE_TIME}: each record carries the producer's timestamp
 *       ({@code baseTimestamp + timestampDelta}).</li>
 *   <li>{@link #LOG_APPEND_TIME}: the broker stamped the batch when appending it; every record's
 *       timestamp is the batch's {@code maxTimestamp} and the per-record deltas are ignored.</li>
 * </ul>
 */
public enum TimestampType {
    CREATE_TIME,
    LOG_APPEND_TIME;

    /** The attribute bits this type contributes to a batch header. */
    int attributeBits() {
        return this == LOG_APPEND_TIME ? RecordBatch.TIMESTAMP_TYPE_MASK : 0;
    }
}
