package io.tributary.common.record;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A view over one record batch in Kafka's v2 ("magic 2") layout. The view does not copy: it reads
 * and (for the fields the broker stamps) writes the underlying buffer between {@code position} and
 * {@code position + sizeInBytes()}.
 *
 * <pre>
 * offset  size  field
 *      0     8  baseOffset
 *      8     4  batchLength            (bytes after this field; whole batch = 12 + batchLength)
 *     12     4  partitionLeaderEpoch
 *     16     1  magic                  (2)
 *     17     4  crc                    (CRC32C of bytes 21 .. end, unsigned)
 *     21     2  attributes             (bits 0-2 compression, 3 timestamp type, 4 transactional,
 *                                       5 control, 6 delete-horizon)
 *     23     4  lastOffsetDelta
 *     27     8  baseTimestamp
 *     35     8  maxTimestamp
 *     43     8  producerId
 *     51     2  producerEpoch
 *     53     4  baseSequence
 *     57     4  recordCount
 *     61        records (varint/zigzag encoded, possibly compressed as a whole)
 * </pre>
 *
 * <p>The base offset and partition leader epoch sit before the CRC'd range, so the broker can
 * assign them without recomputing the CRC. Not thread-safe: confine a view to one thread.
 */
public class RecordBatch {

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORDS_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Size of the fixed header; the smallest possible batch. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** Bytes of {@code baseOffset} plus {@code batchLength}: what must be read to learn a batch's size. */
    public static final int LOG_OVERHEAD = 12;
    public static final byte MAGIC_V2 = 2;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    public static final int CONTROL_FLAG_MASK = 0x20;
    public static final int DELETE_HORIZON_FLAG_MASK = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    /**
     * Default cap on a compressed batch's decompressed records section: 64 MiB. It is far above what
     * producers build (Kafka's default {@code max.request.size} is 1 MiB before compression) yet small
     * enough that a handful of hostile batches decoded at once cannot exhaust the broker's heap. The
     * ratio is deliberately not bounded: highly repetitive data legitimately compresses 100x or more.
     */
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

    protected final ByteBuffer buffer;
    protected final int position;

    /**
     * A view of the batch starting at {@code position} of {@code buffer}. Only the 12-byte log
     * overhead must be present to construct it; call {@link #ensureValid()} before trusting anything else.
     */
    public RecordBatch(ByteBuffer buffer, int position) {
        this.buffer = buffer;
        this.position = position;
    }

    /** A view of the batch at the buffer's current position. */
    public static RecordBatch at(ByteBuffer buffer) {
        return new RecordBatch(buffer, buffer.position());
    }

    public long baseOffset() {
        return buffer.getLong(position + BASE_OFFSET_OFFSET);
    }

    public int batchLength() {
        return buffer.getInt(position + LENGTH_OFFSET);
    }

    /** The whole batch: log overhead plus batchLength. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(position + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(position + MAGIC_OFFSET);
    }

    /** The stored CRC32C, as an unsigned 32-bit value. */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(position + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(position + ATTRIBUTES_OFFSET);
    }

    public int compressionCodecId() {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    /**
     * @throws io.tributary.common.errors.UnsupportedCompressionTypeException for codec ids 5 to 7
     */
    public CompressionType compressionType() {
        return CompressionType.forId(compressionCodecId());
    }

    public TimestampType timestampType() {
        return isLogAppendTime() ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
    }

    /** True when the timestamps are log-append times set by the broker. */
    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public boolean hasDeleteHorizonMs() {
        return (attributes() & DELETE_HORIZON_FLAG_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(position + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after this batch. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(position + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(position + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(position + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(position + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(position + BASE_SEQUENCE_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(position + RECORDS_COUNT_OFFSET);
    }

    /** Where this batch starts in the buffer. */
    public int position() {
        return position;
    }

    /** A read-only slice holding exactly this batch. */
    public ByteBuffer slice() {
        return buffer.slice(position, sizeInBytes()).asReadOnlyBuffer();
    }

    /** CRC32C over attributes .. end of batch, as the header stores it. */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        int start = position + ATTRIBUTES_OFFSET;
        crc.update(buffer.slice(start, position + sizeInBytes() - start));
        return crc.getValue();
    }

    /**
     * Checks what can be checked without decoding records: enough bytes for the header and the
     * declared length, magic 2, a sane record count, and the CRC.
     *
     * @throws CorruptRecordException naming what is wrong
     * @throws UnsupportedForMessageFormatException when the magic is not 2
     */
    public void ensureValid() {
        ensureComplete();
        ensureMagicV2();
        if (recordCount() < 0 || lastOffsetDelta() < 0) {
            throw new CorruptRecordException("record batch at position " + position + " has record count "
                    + recordCount() + " and last offset delta " + lastOffsetDelta() + "; neither may be negative");
        }
        long computed = computeChecksum();
        if (computed != checksum()) {
            throw new CorruptRecordException("record batch at position " + position + " failed its CRC32C check: stored "
                    + Long.toHexString(checksum()) + ", computed " + Long.toHexString(computed));
        }
    }

    private void ensureMagicV2() {
        if (magic() != MAGIC_V2) {
            throw new UnsupportedForMessageFormatException("record batch at position " + position
                    + " has magic " + magic() + "; only the v2 format (magic 2) is supported");
        }
    }

    /** The header and the declared length fit in the buffer. */
    private void ensureComplete() {
        int available = buffer.limit() - position;
        if (available < HEADER_SIZE) {
            throw new CorruptRecordException("record batch at position " + position + " is truncated: "
                    + available + " bytes, but the v2 header alone is " + HEADER_SIZE);
        }
        int length = batchLength();
        if (length < HEADER_SIZE - LOG_OVERHEAD) {
            throw new CorruptRecordException("record batch at position " + position + " declares length "
                    + length + ", below the minimum " + (HEADER_SIZE - LOG_OVERHEAD));
        }
        if ((long) length + LOG_OVERHEAD > available) {
            throw new CorruptRecordException("record batch at position " + position + " declares "
                    + ((long) length + LOG_OVERHEAD) + " bytes but only " + available + " are present");
        }
    }

    /**
     * Decompresses (if needed) and decodes every record, with at most
     * {@link #DEFAULT_MAX_DECOMPRESSED_BYTES} of decompressed data.
     *
     * @see #records(int)
     */
    public List<Record> records() {
        return records(DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    /**
     * Decompresses (if needed) and decodes every record. Offsets are {@code baseOffset + offsetDelta};
     * timestamps are {@code baseTimestamp + timestampDelta} for create time and {@link #maxTimestamp()}
     * for every record of a log-append-time batch. Offset deltas are not required to be contiguous
     * (compaction leaves gaps); {@link LogValidator} enforces that for produced batches.
     *
     * <p>This does not check the CRC: call {@link #ensureValid()} first when the bytes are untrusted.
     * It is nonetheless safe on garbage: every length is bounds-checked before anything is allocated
     * for it, and decompressed output never exceeds {@code maxDecompressedBytes} (the codec libraries'
     * own working memory is bounded separately, see {@link CompressionType}).
     *
     * @throws CorruptRecordException naming the batch position, record index and problem: a batch that
     *         does not fit its buffer, a record length overrunning the batch, a record not consuming
     *         exactly its length, negative lengths other than -1, trailing bytes after the last record,
     *         or a record count different from the header's
     * @throws io.tributary.common.errors.RecordTooLargeException when decompression would exceed
     *         {@code maxDecompressedBytes}
     * @throws io.tributary.common.errors.UnsupportedCompressionTypeException for an unknown codec id
     * @throws UnsupportedForMessageFormatException when the magic is not 2
     */
    public List<Record> records(int maxDecompressedBytes) {
        ensureComplete();
        ensureMagicV2();
        ByteBuffer section = buffer.slice(position + RECORDS_OFFSET, sizeInBytes() - RECORDS_OFFSET);
        ByteBuffer plain = compressionType().decompress(section, maxDecompressedBytes);
        return RecordCodec.decodeAll(plain, this);
    }

    /**
     * Checks every record as {@link #records(int)} does, but hands the visitor only each record's
     * offset, timestamp and key-nullness instead of copying keys, values and headers out.
     */
    void scanRecords(int maxDecompressedBytes, RecordCodec.RecordVisitor visitor) {
        ensureComplete();
        ensureMagicV2();
        ByteBuffer section = buffer.slice(position + RECORDS_OFFSET, sizeInBytes() - RECORDS_OFFSET);
        ByteBuffer plain = compressionType().decompress(section, maxDecompressedBytes);
        RecordCodec.scanAll(plain, this, visitor);
    }

    /** Assigns the base offset (not covered by the CRC). */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(position + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Stamps the partition leader epoch (not covered by the CRC). */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(position + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Sets the timestamp type and max timestamp (for log-append time) and rewrites the CRC, since
     * both fields are inside the CRC'd range.
     */
    public void setMaxTimestamp(boolean logAppendTime, long maxTimestamp) {
        short attributes = attributes();
        short updated = (short) (logAppendTime ? attributes | TIMESTAMP_TYPE_MASK : attributes & ~TIMESTAMP_TYPE_MASK);
        buffer.putShort(position + ATTRIBUTES_OFFSET, updated);
        buffer.putLong(position + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.putInt(position + CRC_OFFSET, (int) computeChecksum());
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes()
                + ", epoch=" + partitionLeaderEpoch() + ", count=" + recordCount() + ")";
    }
}
