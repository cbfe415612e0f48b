package io.tributary.quorum.raft;

import java.util.Arrays;

/**
 * One entry of the replicated metadata log.
 *
 * @param offset  its position, from 0
 * @param epoch   the leader epoch it was written in
 * @param control true for the entry a new leader appends to start its epoch (it carries no data; its
 *                commit is what lets entries of earlier epochs count as committed, Raft §5.4.2)
 * @param data    the payload (a serialized metadata record batch); empty for control entries
 */
public record LogEntry(long offset, int epoch, boolean control, byte[] data) {

    public LogEntry {
        if (offset < 0 || epoch < 0) {
            throw new IllegalArgumentException("log entry with negative offset " + offset + " or epoch " + epoch);
        }
        data = data == null ? new byte[0] : data;
    }

    /** Whether this entry has the same epoch, kind and data as {@code other} (offsets aside). */
    public boolean sameContentAs(LogEntry other) {
        return epoch == other.epoch && control == other.control && Arrays.equals(data, other.data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LogEntry that && offset == that.offset && sameContentAs(that);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + epoch;
    }

    @Override
    public String toString() {
        return "LogEntry(" + offset + "@" + epoch + (control ? ", control" : ", " + data.length + " bytes") + ")";
    }
}
