package io.tributary.quorum.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * A snapshot of the state machine: its state, serialized by the state machine, after applying every
 * entry below {@code id.offset()}; {@code id.epoch()} is the epoch of the last entry it covers. Only
 * committed entries are ever covered, so every node's snapshot with the same id describes the same
 * state (though not necessarily with the same bytes: the serialization is the state machine's).
 *
 * @param id   the end offset of the covered prefix and the epoch of its last entry
 * @param data the serialized state
 */
public record Snapshot(OffsetAndEpoch id, byte[] data) {

    public Snapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot that && id.equals(that.id) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Snapshot(" + id.offset() + "@" + id.epoch() + ", " + data.length + " bytes)";
    }
}
