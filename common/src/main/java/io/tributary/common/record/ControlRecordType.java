package io.tributary.common.record;

import io.tributary.common.errors.InvalidRecordException;

/**
 * The type field of a transaction marker's key (see {@link EndTransactionMarker}). The wire ids are
 * Kafka's: 0 aborts the producer's open transaction on the partition, 1 commits it.
 */
public enum ControlRecordType {
    ABORT((short) 0),
    COMMIT((short) 1);

    private final short id;

    ControlRecordType(short id) {
        this.id = id;
    }

    public short id() {
        return id;
    }

    /**
     * @throws InvalidRecordException naming {@code id} when it is not a transaction-marker type
     */
    public static ControlRecordType forId(short id) {
        for (ControlRecordType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new InvalidRecordException("control record type " + id + " is not a transaction marker (0 abort, 1 commit)");
    }
}
