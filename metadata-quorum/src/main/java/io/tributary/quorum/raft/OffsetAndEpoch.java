package io.tributary.quorum.raft;

/**
 * A log position: {@code offset} with the epoch of the entry just before it (for "end offset for
 * epoch" answers: the offset after the last entry of {@code epoch}).
 */
public record OffsetAndEpoch(long offset, int epoch) {

    /** Orders positions as Raft's up-to-date rule does: by epoch, then by offset. */
    public boolean isAtLeastAsUpToDateAs(OffsetAndEpoch other) {
        return epoch != other.epoch ? epoch > other.epoch : offset >= other.offset;
    }
}
