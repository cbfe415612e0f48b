package io.tributary.quorum.raft;

import java.util.List;
import java.util.Optional;

/**
 * The replicated log as the Raft core sees it: a snapshot (optional) followed by entries. Appends and
 * truncations take effect in memory at once and become durable only when the driver flushes
 * ({@link #flushedEndOffset()} advances); a crash loses what was not flushed. Snapshot operations
 * ({@link #createSnapshot}, {@link #installSnapshot}, {@link #deletePrefix}) are durable when they
 * return. Implementations: an in-memory one for the simulator, a file-backed one on the
 * {@code storage} segmented log for real nodes.
 *
 * <p><b>Log start.</b> Entries below {@link #startOffset()} are gone; the latest snapshot covers them
 * and its id stands for their last entry, so positions at the log start still have an epoch
 * ({@link #epochAt} of {@code startOffset() - 1}, {@link #lastEpoch()} of a log with no entry past
 * the snapshot). Whenever the log start is above 0 it equals the latest snapshot's end offset.
 *
 * <p>Called only from the thread that owns the Raft core.
 */
public interface RaftLog {

    /** The offset the next entry gets (0 for an empty log; the snapshot's end when no entry follows it). */
    long endOffset();

    /** The epoch of the last entry (the snapshot's epoch when no entry follows it), 0 for an empty log. */
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
     * learns where to truncate. The snapshot counts as an entry of its epoch ending at the log start.
     * For an epoch below every entry's: {@code (0, 0)} without a snapshot; with one, whose deleted
     * prefix held the answer, the snapshot id ("at or before the log start").
     */
    OffsetAndEpoch endOffsetForEpoch(int epoch);

    /**
     * The epoch of the entry at {@code offset}, which must lie in [{@code startOffset() - 1},
     * {@code endOffset()}); at {@code startOffset() - 1}, the snapshot's epoch.
     */
    int epochAt(long offset);

    /** Up to {@code maxEntries} entries from {@code fromOffset}, at least {@link #startOffset()} (none past the end). */
    List<LogEntry> read(long fromOffset, int maxEntries);

    /** Appends entries that continue the log exactly ({@code entries.get(0).offset() == endOffset()}). */
    void append(List<LogEntry> entries);

    /** Removes every entry at or after {@code offset}, which is at least {@link #startOffset()}. */
    void truncateTo(long offset);

    /** The first offset still held as an entry: 0, or the latest snapshot's end offset. */
    long startOffset();

    /** The latest snapshot's id, if there is a snapshot. */
    Optional<OffsetAndEpoch> latestSnapshot();

    /** The size in bytes of the latest snapshot, {@code id}. */
    long snapshotSizeBytes(OffsetAndEpoch id);

    /**
     * Up to {@code maxBytes} of the latest snapshot's data ({@code id}) from {@code position}, which
     * lies in [0, size]; fewer at its end, none at it.
     */
    byte[] readSnapshot(OffsetAndEpoch id, long position, int maxBytes);

    /**
     * Stores a snapshot the state machine made of the committed prefix ending at {@code id.offset()},
     * which lies in ({@code startOffset()}, {@code endOffset()}] and whose last entry has epoch
     * {@code id.epoch()}. It becomes the latest snapshot. Durable when this returns.
     */
    void createSnapshot(OffsetAndEpoch id, byte[] data);

    /**
     * Deletes the entries below {@code id.offset()}, {@code id} being the latest snapshot, which
     * covers them: the log start moves there. Older snapshots go too. Durable when this returns
     * (the snapshot records the new log start).
     */
    void deletePrefix(OffsetAndEpoch id);

    /**
     * Replaces the whole log by a snapshot received from the leader: every entry is discarded, the
     * snapshot becomes the latest, and the log starts and ends at {@code id.offset()}. Durable when
     * this returns. A crash midway leaves either the old log, possibly without its entries at or
     * above {@code id.offset()} (the leader asks for a snapshot only when those are not committed), or
     * the snapshot with no entry after it; never the snapshot followed by entries that do not continue it.
     */
    void installSnapshot(OffsetAndEpoch id, byte[] data);
}
