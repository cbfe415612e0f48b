package io.tributary.client.admin;

import java.util.Objects;

/**
 * Which offset {@link Admin#listOffsets} looks up for a partition: the earliest stored offset, the
 * latest (the offset the next committed record will get), the record with the largest timestamp,
 * or the first record whose timestamp is at or after a given time. Immutable.
 */
public final class OffsetSpec {

    /** The kinds of lookup. */
    public enum Kind { EARLIEST, LATEST, MAX_TIMESTAMP, TIMESTAMP }

    private static final OffsetSpec EARLIEST = new OffsetSpec(Kind.EARLIEST, -1);
    private static final OffsetSpec LATEST = new OffsetSpec(Kind.LATEST, -1);
    private static final OffsetSpec MAX_TIMESTAMP = new OffsetSpec(Kind.MAX_TIMESTAMP, -1);

    private final Kind kind;
    private final long timestamp;

    private OffsetSpec(Kind kind, long timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** The log start offset. */
    public static OffsetSpec earliest() {
        return EARLIEST;
    }

    /** The high watermark: the offset the next committed record will be readable at. */
    public static OffsetSpec latest() {
        return LATEST;
    }

    /** The offset (and timestamp) of the committed record with the largest timestamp. */
    public static OffsetSpec maxTimestamp() {
        return MAX_TIMESTAMP;
    }

    /**
     * The earliest offset whose record timestamp is at or after {@code timestamp} (ms since the
     * epoch); the result's offset is -1 when every record is older. A negative timestamp fails the
     * partition with {@link io.tributary.common.errors.InvalidRequestException}.
     */
    public static OffsetSpec forTimestamp(long timestamp) {
        return new OffsetSpec(Kind.TIMESTAMP, timestamp);
    }

    public Kind kind() {
        return kind;
    }

    /** The target timestamp of a {@link Kind#TIMESTAMP} lookup; -1 for the others. */
    public long timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OffsetSpec other && other.kind == kind && other.timestamp == timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timestamp);
    }

    @Override
    public String toString() {
        return kind == Kind.TIMESTAMP ? "forTimestamp(" + timestamp + ")" : kind.name().toLowerCase();
    }
}
