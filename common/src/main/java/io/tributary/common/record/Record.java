package io.tributary.common.record;

import java.util.Arrays;
import java.util.List;

/**
 * One decoded record with its absolute offset and effective timestamp. Batch-level facts (producer
 * id, transactional and control flags, timestamp type) belong to the {@link RecordBatch} it came from.
 *
 * <p>Key and value arrays are not copied; treat them as immutable, and the record is then safe to
 * share between threads. Equality compares array contents.
 *
 * @param offset    absolute offset: the batch's base offset plus the record's offset delta
 * @param timestamp effective timestamp in ms: {@code baseTimestamp + delta} for create time, the
 *                  batch's max timestamp for log-append time
 * @param key       the key, or null
 * @param value     the value, or null (a tombstone on compacted topics)
 * @param headers   the headers in wire order, never null
 */
public record Record(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    public Record {
        headers = List.copyOf(headers);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Record that
                && offset == that.offset
                && timestamp == that.timestamp
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value)
                && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        int hash = Long.hashCode(offset);
        hash = 31 * hash + Long.hashCode(timestamp);
        hash = 31 * hash + Arrays.hashCode(key);
        hash = 31 * hash + Arrays.hashCode(value);
        return 31 * hash + headers.hashCode();
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp
                + ", key=" + (key == null ? "null" : key.length + " bytes")
                + ", value=" + (value == null ? "null" : value.length + " bytes")
                + ", headers=" + headers + ")";
    }
}
