package io.tributary.quorum.raft;

import java.util.List;

/**
 * The replicated log as the Raft core sees it. Appends and truncations take effect in memory at once
 * and become durable only when the driver flushes ({@link #flushedEndOffset()} advances); a crash
 * loses what was not flushed. Implementations: an in-memory one for the simulator, a file-backed one
 * on the {@code storage} segmented log for real nodes.
 *
 * <p>Called only from the thread that owns the Raft core.
 */
public interface RaftLog {

    /** The offset the next entry gets (0 for an empty log). */
    long endOffset();

    /** The epoch of the last entry, 0 for an empty log. */
    int lastEpoch();

    /** The end offset of the log, with its last epoch. */
    default OffsetAndEpoch endOffsetAndEpoch() {
        return new OffsetAndEpoch(endOffset(), lastEpoch());
    }

    /** The offset below which entries are durable. */
    long flushedEndOffset();

    /**
     * For {@code epoch}: the largest epoch in the log that is at most {@code epoch}, and the offset
     * after its last entry — Kafka's OffsetForLeaderEpoch answer, from which a follower that diverged
     * learns where to truncate. For an epoch below every entry's: {@code (0, 0)}.
     */
    OffsetAndEpoch endOffsetForEpoch(int epoch);

    /** The epoch of the entry at {@code offset}; the offset must be in the log. */
    int epochAt(long offset);

    /** Up to {@code maxEntries} entries from {@code fromOffset} (none past the end). */
    List<LogEntry> read(long fromOffset, int maxEntries);

    /** Appends entries that continue the log exactly ({@code entries.get(0).offset() == endOffset()}). */
    void append(List<LogEntry> entries);

    /** Removes every entry at or after {@code offset}. */
    void truncateTo(long offset);
}
