package io.tributary.common.record;

import io.tributary.common.errors.InvalidRecordException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The single record of a transaction-marker control batch. Layout (big-endian), as Kafka writes it:
 *
 * <pre>
 * key:   version int16 (0), type int16 ({@link ControlRecordType})
 * value: version int16 (0), coordinatorEpoch int32
 * </pre>
 *
 * Readers accept versions above 0 and ignore trailing fields, so a newer writer can extend the value.
 * This class is only the layout; what markers mean for transactions lives elsewhere. Immutable.
 *
 * @param type             commit or abort
 * @param coordinatorEpoch epoch of the transaction coordinator that wrote the marker
 */
public record EndTransactionMarker(ControlRecordType type, int coordinatorEpoch) {

    private static final short CURRENT_VERSION = 0;
    private static final int KEY_BYTES = 2 * Short.BYTES;
    private static final int VALUE_BYTES = Short.BYTES + Integer.BYTES;

    public EndTransactionMarker {
        if (type == null) {
            throw new IllegalArgumentException("marker type must not be null");
        }
    }

    /** The control record key: version and type. */
    public byte[] keyBytes() {
        return ByteBuffer.allocate(KEY_BYTES).putShort(CURRENT_VERSION).putShort(type.id()).array();
    }

    /** The control record value: version and coordinator epoch. */
    public byte[] valueBytes() {
        return ByteBuffer.allocate(VALUE_BYTES).putShort(CURRENT_VERSION).putInt(coordinatorEpoch).array();
    }

    /**
     * Parses a marker from a record decoded out of a control batch.
     *
     * @throws InvalidRecordException when the key or value is missing, too short, has a negative
     *         version, or names an unknown type
     */
    public static EndTransactionMarker fromRecord(Record record) {
        if (record.key() == null || record.value() == null) {
            throw new InvalidRecordException("transaction marker at offset " + record.offset() + " has a null "
                    + (record.key() == null ? "key" : "value"));
        }
        try {
            ByteBuffer key = ByteBuffer.wrap(record.key());
            ByteBuffer value = ByteBuffer.wrap(record.value());
            checkVersion(key.getShort(), "key", record);
            ControlRecordType type = ControlRecordType.forId(key.getShort());
            checkVersion(value.getShort(), "value", record);
            return new EndTransactionMarker(type, value.getInt());
        } catch (BufferUnderflowException e) {
            throw new InvalidRecordException("transaction marker at offset " + record.offset() + " is too short: key "
                    + record.key().length + " bytes (need " + KEY_BYTES + "), value " + record.value().length
                    + " bytes (need " + VALUE_BYTES + ")");
        }
    }

    private static void checkVersion(short version, String field, Record record) {
        if (version < 0) {
            throw new InvalidRecordException("transaction marker at offset " + record.offset() + " has " + field
                    + " version " + version + "; versions are never negative");
        }
    }
}
