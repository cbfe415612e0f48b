package io.tributary.quorum.raft;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of one Raft node.
 *
 * @param nodeId             this node
 * @param voters             the voter ids (this node is an observer when not among them)
 * @param electionTimeoutMs  base election timeout; each wait is randomized in [t, 2t). A follower that
 *                           has not fetched successfully for this long starts a (pre-)election
 * @param fetchTimeoutMs     check-quorum: a leader that has not been fetched from by a majority within
 *                           this long resigns; also how long a follower waits for a fetch response
 * @param fetchMaxWaitMs     how long the leader holds a fetch that has nothing new (long poll)
 * @param maxFetchEntries    most entries one fetch response carries
 * @param snapshotChunkBytes most snapshot bytes one FetchSnapshot response carries (it must fit the
 *                           transport's message size limit, 4 MiB for gRPC by default)
 */
public record RaftConfig(int nodeId, Set<Integer> voters, long electionTimeoutMs, long fetchTimeoutMs,
                         long fetchMaxWaitMs, int maxFetchEntries, int snapshotChunkBytes) {

    /** 1 MiB: a quarter of gRPC's default message limit, leaving room for the envelope. */
    public static final int DEFAULT_SNAPSHOT_CHUNK_BYTES = 1 << 20;

    public RaftConfig {
        // Sorted: iteration order must not depend on the JVM (Set.copyOf's order is salted per run),
        // or the same seed would not replay the same simulation.
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a quorum needs at least one voter");
        }
        if (electionTimeoutMs <= 0 || fetchTimeoutMs <= 0 || fetchMaxWaitMs < 0 || maxFetchEntries <= 0
                || snapshotChunkBytes <= 0) {
            throw new IllegalArgumentException("timeouts, fetch size and snapshot chunk size must be positive: "
                    + electionTimeoutMs + ", " + fetchTimeoutMs + ", " + fetchMaxWaitMs + ", " + maxFetchEntries
                    + ", " + snapshotChunkBytes);
        }
        if (fetchMaxWaitMs >= fetchTimeoutMs / 2 || fetchMaxWaitMs >= electionTimeoutMs) {
            // A follower re-sends a fetch unanswered for fetchTimeoutMs / 2 and elects after an election
            // timeout; a held fetch must come back well before either, or an idle quorum looks dead.
            throw new IllegalArgumentException("fetchMaxWaitMs (" + fetchMaxWaitMs + ") must be below half of "
                    + "fetchTimeoutMs (" + fetchTimeoutMs + ") and below electionTimeoutMs (" + electionTimeoutMs + ")");
        }
    }

    /** The settings with the default snapshot chunk size ({@link #DEFAULT_SNAPSHOT_CHUNK_BYTES}). */
    public RaftConfig(int nodeId, Set<Integer> voters, long electionTimeoutMs, long fetchTimeoutMs,
                      long fetchMaxWaitMs, int maxFetchEntries) {
        this(nodeId, voters, electionTimeoutMs, fetchTimeoutMs, fetchMaxWaitMs, maxFetchEntries,
                DEFAULT_SNAPSHOT_CHUNK_BYTES);
    }

    public boolean isVoter() {
        return voters.contains(nodeId);
    }

    /** Votes (or fetching voters, counting the leader) that make a majority. */
    public int majority() {
        return voters.size() / 2 + 1;
    }
}
