package io.tributary.common.record;

import io.tributary.common.errors.CorruptRecordException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Encodes and decodes single records of the v2 records section (after decompression):
 *
 * <pre>
 * length          varint   bytes of everything below
 * attributes      int8     unused, written as 0
 * timestampDelta  varlong  relative to the batch's baseTimestamp
 * offsetDelta     varint   relative to the batch's baseOffset
 * keyLength       varint   -1 = null key
 * key             bytes
 * valueLength     varint   -1 = null value
 * value           bytes
 * headerCount     varint
 *   headerKeyLength   varint (never negative)
 *   headerKey         UTF-8 bytes
 *   headerValueLength varint   -1 = null value
 *   headerValue       bytes
 * </pre>
 *
 * <p>Decoding is strict: every length is checked against the bytes that remain, each record must
 * consume exactly its declared length, and the section must hold exactly the batch's record count.
 * Stateless and thread-safe.
 */
final class RecordCodec {

    /** The smallest record: one byte for each of the seven varint/int8 fields. */
    static final int MIN_RECORD_BYTES = 7;
    private static final int NULL_LENGTH = -1;
    /** Stands for a present (non-null) field that a scan skipped without copying. */
    private static final byte[] SKIPPED = new byte[0];

    private RecordCodec() {
    }

    /** Header keys as UTF-8, computed once so sizing and writing agree. */
    static byte[][] encodeHeaderKeys(List<Header> headers) {
        byte[][] keys = new byte[headers.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = headers.get(i).key().getBytes(StandardCharsets.UTF_8);
        }
        return keys;
    }

    /** Bytes of the record body, i.e. what the leading length varint counts. */
    static long bodySizeInBytes(int offsetDelta, long timestampDelta, byte[] key, byte[] value,
                                List<Header> headers, byte[][] headerKeys) {
        long size = 1 + ByteUtils.sizeOfVarlong(timestampDelta) + ByteUtils.sizeOfVarint(offsetDelta)
                + sizeOfBytesField(key) + sizeOfBytesField(value) + ByteUtils.sizeOfVarint(headers.size());
        for (int i = 0; i < headerKeys.length; i++) {
            size += sizeOfBytesField(headerKeys[i]) + sizeOfBytesField(headers.get(i).value());
        }
        return size;
    }

    /** Writes one record, length prefix included; {@code bodySize} comes from {@link #bodySizeInBytes}. */
    static void write(ByteBuffer out, int bodySize, int offsetDelta, long timestampDelta, byte[] key, byte[] value,
                      List<Header> headers, byte[][] headerKeys) {
        ByteUtils.writeVarint(bodySize, out);
        out.put((byte) 0);
        ByteUtils.writeVarlong(timestampDelta, out);
        ByteUtils.writeVarint(offsetDelta, out);
        writeBytesField(key, out);
        writeBytesField(value, out);
        ByteUtils.writeVarint(headers.size(), out);
        for (int i = 0; i < headerKeys.length; i++) {
            writeBytesField(headerKeys[i], out);
            writeBytesField(headers.get(i).value(), out);
        }
    }

    /**
     * Decodes every record of {@code batch} from its (decompressed) records section.
     *
     * @param records the records section; read from its position to its limit
     * @throws CorruptRecordException naming the batch position, the record index and the problem
     */
    static List<Record> decodeAll(ByteBuffer records, RecordBatch batch) {
        List<Record> decoded = new ArrayList<>(checkedCount(records, batch));
        parseAll(records, batch, true, decoded::add, null);
        return decoded;
    }

    /**
     * Checks every record exactly as {@link #decodeAll} does and reports each one's offset,
     * timestamp and whether its key is null, without copying keys, values or headers (the broker's
     * produce validation needs no more, and runs for every produced record).
     *
     * @throws CorruptRecordException as {@link #decodeAll}
     */
    static void scanAll(ByteBuffer records, RecordBatch batch, RecordVisitor visitor) {
        checkedCount(records, batch);
        parseAll(records, batch, false, null, visitor);
    }

    /** Receives what {@link #scanAll} reads of each record. */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(int index, long offset, long timestamp, boolean nullKey);
    }

    private static int checkedCount(ByteBuffer records, RecordBatch batch) {
        int count = batch.recordCount();
        if (count < 0 || count > records.remaining() / MIN_RECORD_BYTES) {
            throw batchCorrupt(batch, "declares " + count + " records but its " + records.remaining()
                    + " record bytes can hold at most " + records.remaining() / MIN_RECORD_BYTES);
        }
        return count;
    }

    private static void parseAll(ByteBuffer records, RecordBatch batch, boolean copy,
                                 Consumer<Record> sink, RecordVisitor visitor) {
        int count = batch.recordCount();
        long baseOffset = batch.baseOffset();
        long baseTimestamp = batch.baseTimestamp();
        Long logAppendTimeMs = batch.isLogAppendTime() ? batch.maxTimestamp() : null;
        for (int index = 0; index < count; index++) {
            if (!records.hasRemaining()) {
                throw batchCorrupt(batch, "declares " + count + " records but its records section holds only " + index);
            }
            parseOne(records, batch, index, baseOffset, baseTimestamp, logAppendTimeMs, copy, sink, visitor);
        }
        if (records.hasRemaining()) {
            throw batchCorrupt(batch, "has " + records.remaining() + " trailing bytes after its last record (record "
                    + (count - 1) + " of " + count + ")");
        }
    }

    private static void parseOne(ByteBuffer records, RecordBatch batch, int index, long baseOffset, long baseTimestamp,
                                 Long logAppendTimeMs, boolean copy, Consumer<Record> sink,
                                 RecordVisitor visitor) {
        int length = readLength(records, batch, index);
        ByteBuffer body = records.slice(records.position(), length);
        records.position(records.position() + length);
        try {
            body.get(); // record attributes: no bits are defined for records
            long timestampDelta = readVarlong(body, batch, index, "timestamp delta");
            int offsetDelta = readVarint(body, batch, index, "offset delta");
            byte[] key = readBytesField(body, batch, index, "key", -1, copy);
            byte[] value = readBytesField(body, batch, index, "value", -1, copy);
            List<Header> headers = readHeaders(body, batch, index, copy);
            if (body.hasRemaining()) {
                throw recordCorrupt(batch, index, "has " + body.remaining() + " unread bytes after its headers (length "
                        + length + ")");
            }
            long timestamp = logAppendTimeMs != null ? logAppendTimeMs : addExact(baseTimestamp, timestampDelta,
                    batch, index, "timestamp");
            long offset = addExact(baseOffset, offsetDelta, batch, index, "offset");
            if (copy) {
                sink.accept(new Record(offset, timestamp, key, value, headers));
            } else {
                visitor.visit(index, offset, timestamp, key == null);
            }
        } catch (BufferUnderflowException e) {
            throw recordCorrupt(batch, index, "overruns its declared length " + length);
        }
    }

    private static int readLength(ByteBuffer records, RecordBatch batch, int index) {
        int length;
        try {
            length = readVarint(records, batch, index, "length");
        } catch (BufferUnderflowException e) {
            throw recordCorrupt(batch, index, "has a length varint cut off by the end of the batch");
        }
        if (length < MIN_RECORD_BYTES - 1) {
            throw recordCorrupt(batch, index, "declares length " + length + ", below the minimum "
                    + (MIN_RECORD_BYTES - 1));
        }
        if (length > records.remaining()) {
            throw recordCorrupt(batch, index, "declares length " + length + " but only " + records.remaining()
                    + " bytes remain in the batch");
        }
        return length;
    }

    private static List<Header> readHeaders(ByteBuffer body, RecordBatch batch, int index, boolean copy) {
        int headerCount = readVarint(body, batch, index, "header count");
        // Each header needs at least two length bytes, which bounds the list before allocating it.
        if (headerCount < 0 || headerCount > body.remaining() / 2) {
            throw recordCorrupt(batch, index, "declares " + headerCount + " headers, impossible in the "
                    + body.remaining() + " bytes left");
        }
        List<Header> headers = copy ? new ArrayList<>(headerCount) : List.of();
        for (int i = 0; i < headerCount; i++) {
            byte[] key = readBytesField(body, batch, index, "key", i, copy);
            if (key == null) {
                throw recordCorrupt(batch, index, "has header " + i + " with a null key");
            }
            byte[] value = readBytesField(body, batch, index, "value", i, copy);
            if (copy) {
                headers.add(new Header(new String(key, StandardCharsets.UTF_8), value));
            }
        }
        return headers;
    }

    /**
     * Reads a length-prefixed field: null for length -1; with {@code copy} false, skips it and returns
     * {@link #SKIPPED}. {@code headerIndex} is -1 for the key and value; error messages are built only
     * on failure, so the success path allocates nothing but the copy.
     */
    private static byte[] readBytesField(ByteBuffer body, RecordBatch batch, int index, String fieldKind,
                                         int headerIndex, boolean copy) {
        int length;
        try {
            length = ByteUtils.readVarint(body);
        } catch (CorruptRecordException e) {
            throw recordCorrupt(batch, index, "has a malformed " + fieldName(fieldKind, headerIndex) + " length: "
                    + e.getMessage());
        }
        if (length == NULL_LENGTH) {
            return null;
        }
        String field = length < 0 || length > body.remaining() ? fieldName(fieldKind, headerIndex) : null;
        if (length < 0) {
            throw recordCorrupt(batch, index, "has " + field + " length " + length + "; only -1 (null) may be negative");
        }
        if (length > body.remaining()) {
            throw recordCorrupt(batch, index, "has " + field + " length " + length + " but only " + body.remaining()
                    + " bytes remain in the record");
        }
        if (!copy) {
            body.position(body.position() + length);
            return SKIPPED;
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return bytes;
    }

    private static String fieldName(String fieldKind, int headerIndex) {
        return headerIndex < 0 ? fieldKind : "header " + headerIndex + " " + fieldKind;
    }

    /** Reads a varint, turning an over-long encoding into an error that says where it was. */
    private static int readVarint(ByteBuffer in, RecordBatch batch, int index, String field) {
        try {
            return ByteUtils.readVarint(in);
        } catch (CorruptRecordException e) {
            throw recordCorrupt(batch, index, "has a malformed " + field + ": " + e.getMessage());
        }
    }

    private static long readVarlong(ByteBuffer in, RecordBatch batch, int index, String field) {
        try {
            return ByteUtils.readVarlong(in);
        } catch (CorruptRecordException e) {
            throw recordCorrupt(batch, index, "has a malformed " + field + ": " + e.getMessage());
        }
    }

    private static long addExact(long base, long delta, RecordBatch batch, int index, String what) {
        try {
            return Math.addExact(base, delta);
        } catch (ArithmeticException e) {
            throw recordCorrupt(batch, index, "has a " + what + " delta " + delta + " that overflows base " + base);
        }
    }

    private static int sizeOfBytesField(byte[] bytes) {
        return bytes == null ? ByteUtils.sizeOfVarint(NULL_LENGTH) : ByteUtils.sizeOfVarint(bytes.length) + bytes.length;
    }

    private static void writeBytesField(byte[] bytes, ByteBuffer out) {
        if (bytes == null) {
            ByteUtils.writeVarint(NULL_LENGTH, out);
        } else {
            ByteUtils.writeVarint(bytes.length, out);
            out.put(bytes);
        }
    }

    private static CorruptRecordException batchCorrupt(RecordBatch batch, String problem) {
        return new CorruptRecordException("record batch at position " + batch.position() + " " + problem);
    }

    private static CorruptRecordException recordCorrupt(RecordBatch batch, int index, String problem) {
        return batchCorrupt(batch, "is corrupt: record " + index + " " + problem);
    }
}
