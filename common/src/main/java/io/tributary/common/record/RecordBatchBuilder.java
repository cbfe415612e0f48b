package io.tributary.common.record;

import io.tributary.common.errors.RecordTooLargeException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds one v2 record batch (layout in {@link RecordBatch}).
 *
 * <pre>{@code
 * ByteBuffer batch = new RecordBatchBuilder()
 *         .compression(CompressionType.LZ4)
 *         .producerId(42).producerEpoch((short) 0).baseSequence(0)
 *         .append(nowMs, key, value, List.of())
 *         .append(nowMs, null, tombstoneValue)
 *         .build();
 * }</pre>
 *
 * <p>Header fields default to an unassigned batch as a producer sends it: base offset 0, partition
 * leader epoch, producer id, producer epoch and base sequence all -1, create time, no flags, no
 * compression. Records get offset deltas 0, 1, 2 ... in append order; the base timestamp is the first
 * record's timestamp and the max timestamp the largest appended one (also for log-append time, where
 * the caller appends with the append time).
 *
 * <p>Records are encoded as they are appended; compression runs once, over the whole records
 * section, in {@link #build()}. A builder builds exactly one batch: afterwards every method that
 * would change the batch throws {@link IllegalStateException}, because the returned buffer may share
 * the builder's array. Not thread-safe.
 */
public final class RecordBatchBuilder {

    private static final int INITIAL_CAPACITY_BYTES = 512;
    /** Largest array the JVM reliably allocates. */
    private static final int MAX_BATCH_BYTES = Integer.MAX_VALUE - 8;

    private CompressionType compression = CompressionType.NONE;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long baseOffset = 0L;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;

    /** Uncompressed batch image: a placeholder header, then the encoded records. */
    private byte[] bytes;
    private int sizeInBytes = RecordBatch.HEADER_SIZE;
    private int recordCount;
    private long baseTimestamp;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private boolean built;

    /** A builder whose buffer starts small and grows as records are appended. */
    public RecordBatchBuilder() {
        this(INITIAL_CAPACITY_BYTES);
    }

    /**
     * A builder whose buffer starts at {@code initialCapacityBytes} (at least the batch header), so a
     * caller that knows the batch's target size (the producer's {@code batch.size}) never pays for
     * the buffer doubling while records are appended.
     */
    public RecordBatchBuilder(int initialCapacityBytes) {
        this(new byte[Math.max(RecordBatch.HEADER_SIZE, initialCapacityBytes)]);
    }

    /**
     * A builder that encodes into {@code buffer} (its contents are irrelevant; a recycled array is
     * fine) until it needs more room. The caller must not touch the array until the built batch is
     * no longer used: without compression, {@link #build()} returns a view of it.
     */
    public RecordBatchBuilder(byte[] buffer) {
        if (buffer.length < RecordBatch.HEADER_SIZE) {
            throw new IllegalArgumentException("a batch buffer needs at least " + RecordBatch.HEADER_SIZE
                    + " bytes for the header, got " + buffer.length);
        }
        this.bytes = buffer;
    }

    /**
     * A builder for a transaction-marker batch (control and transactional flags set) holding its one
     * marker record; set the base offset and leader epoch on it before {@link #build()} as needed.
     */
    public static RecordBatchBuilder endTransactionMarker(long producerId, short producerEpoch, long timestampMs,
                                                          EndTransactionMarker marker) {
        return new RecordBatchBuilder()
                .producerId(producerId)
                .producerEpoch(producerEpoch)
                .transactional(true)
                .control(true)
                .append(timestampMs, marker.keyBytes(), marker.valueBytes(), List.of());
    }

    public RecordBatchBuilder compression(CompressionType compression) {
        ensureNotBuilt();
        this.compression = Objects.requireNonNull(compression, "compression");
        return this;
    }

    public RecordBatchBuilder timestampType(TimestampType timestampType) {
        ensureNotBuilt();
        this.timestampType = Objects.requireNonNull(timestampType, "timestampType");
        return this;
    }

    public RecordBatchBuilder baseOffset(long baseOffset) {
        ensureNotBuilt();
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
        ensureNotBuilt();
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    public RecordBatchBuilder producerId(long producerId) {
        ensureNotBuilt();
        this.producerId = producerId;
        return this;
    }

    public RecordBatchBuilder producerEpoch(short producerEpoch) {
        ensureNotBuilt();
        this.producerEpoch = producerEpoch;
        return this;
    }

    public RecordBatchBuilder baseSequence(int baseSequence) {
        ensureNotBuilt();
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        ensureNotBuilt();
        this.transactional = transactional;
        return this;
    }

    public RecordBatchBuilder control(boolean control) {
        ensureNotBuilt();
        this.control = control;
        return this;
    }

    /** Appends a record without headers. */
    public RecordBatchBuilder append(long timestampMs, byte[] key, byte[] value) {
        return append(timestampMs, key, value, List.of());
    }

    /**
     * Appends a record with the next offset delta. The arrays are encoded immediately, so the caller
     * may reuse them afterwards.
     *
     * @param timestampMs the record's timestamp; any value, including {@link RecordBatch#NO_TIMESTAMP}
     * @param key         nullable key
     * @param value       nullable value
     * @param headers     headers (non-null list of non-null headers; values may be null)
     * @throws IllegalArgumentException when the timestamp is so far from the first record's that the
     *         delta overflows a long
     * @throws RecordTooLargeException when the batch would exceed the largest Java array
     */
    public RecordBatchBuilder append(long timestampMs, byte[] key, byte[] value, List<Header> headers) {
        ensureNotBuilt();
        Objects.requireNonNull(headers, "headers");
        if (recordCount == Integer.MAX_VALUE) {
            throw new IllegalStateException("a batch holds at most " + Integer.MAX_VALUE + " records");
        }
        long firstTimestamp = recordCount == 0 ? timestampMs : baseTimestamp;
        long timestampDelta;
        try {
            timestampDelta = Math.subtractExact(timestampMs, firstTimestamp);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestamp " + timestampMs + " is too far from the batch's base timestamp "
                    + firstTimestamp + " for a 64-bit delta");
        }
        byte[][] headerKeys = RecordCodec.encodeHeaderKeys(headers);
        long bodySize = RecordCodec.bodySizeInBytes(recordCount, timestampDelta, key, value, headers, headerKeys);
        // For a non-negative size below 2^31 the varlong and varint encodings have the same length; the
        // long form cannot overflow, and ensureCapacity rejects anything that would not fit an int.
        long recordSize = ByteUtils.sizeOfVarlong(bodySize) + bodySize;
        ensureCapacity(recordSize);
        ByteBuffer out = ByteBuffer.wrap(bytes, sizeInBytes, (int) recordSize);
        RecordCodec.write(out, (int) bodySize, recordCount, timestampDelta, key, value, headers, headerKeys);
        sizeInBytes += (int) recordSize;
        if (recordCount == 0) {
            baseTimestamp = timestampMs;
            maxTimestamp = timestampMs;
        } else {
            maxTimestamp = Math.max(maxTimestamp, timestampMs);
        }
        recordCount++;
        return this;
    }

    /** Records appended so far. */
    public int recordCount() {
        return recordCount;
    }

    /** Size of the batch if built now without compression. */
    public int uncompressedSizeInBytes() {
        return sizeInBytes;
    }

    /**
     * Compresses the records (if a codec is set), writes the header with the CRC32C and returns the
     * batch: position 0, limit = batch size. The buffer may be backed by a larger array; do not
     * assume {@code capacity() == limit()}.
     *
     * @throws IllegalStateException when no record was appended, or the builder already built
     */
    public ByteBuffer build() {
        ensureNotBuilt();
        if (recordCount == 0) {
            throw new IllegalStateException("cannot build an empty record batch: append at least one record first");
        }
        built = true;
        ByteBuffer batch = compression == CompressionType.NONE
                ? ByteBuffer.wrap(bytes, 0, sizeInBytes)
                : compressRecords();
        writeHeader(batch);
        return batch;
    }

    private ByteBuffer compressRecords() {
        int recordsBytes = sizeInBytes - RecordBatch.HEADER_SIZE;
        GrowableOutputStream out = new GrowableOutputStream(RecordBatch.HEADER_SIZE + recordsBytes / 2 + 64);
        out.skip(RecordBatch.HEADER_SIZE);
        try (OutputStream compressing = compression.wrapForOutput(out)) {
            compressing.write(bytes, RecordBatch.HEADER_SIZE, recordsBytes);
        } catch (IOException e) {
            // The sink is memory, so this is a codec failure rather than an I/O one; surface it unchanged.
            throw new UncheckedIOException(compression.configName() + " compression of " + recordsBytes
                    + " record bytes failed", e);
        }
        return out.toByteBuffer();
    }

    private void writeHeader(ByteBuffer batch) {
        int attributes = compression.id() | timestampType.attributeBits()
                | (transactional ? RecordBatch.TRANSACTIONAL_FLAG_MASK : 0)
                | (control ? RecordBatch.CONTROL_FLAG_MASK : 0);
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset)
                .putInt(RecordBatch.LENGTH_OFFSET, batch.limit() - RecordBatch.LOG_OVERHEAD)
                .putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch)
                .put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC_V2)
                .putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes)
                .putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, recordCount - 1)
                .putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp)
                .putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, maxTimestamp)
                .putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId)
                .putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch)
                .putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence)
                .putInt(RecordBatch.RECORDS_COUNT_OFFSET, recordCount);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) new RecordBatch(batch, 0).computeChecksum());
    }

    private void ensureCapacity(long additionalBytes) {
        long required = sizeInBytes + additionalBytes;
        if (required > MAX_BATCH_BYTES) {
            throw new RecordTooLargeException("appending a " + additionalBytes + "-byte record would grow the batch to "
                    + required + " bytes, beyond the " + MAX_BATCH_BYTES + "-byte maximum");
        }
        if (required > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_BATCH_BYTES, Math.max(required, 2L * bytes.length)));
        }
    }

    private void ensureNotBuilt() {
        if (built) {
            throw new IllegalStateException("this builder already built its batch; use a new builder");
        }
    }
}
