package io.tributary.quorum.raft;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of one Raft node.
 *
 * @param nodeId            this node
 * @param voters            the voter ids (this node is an observer when not among them)
 * @param electionTimeoutMs base election timeout; each wait is randomized in [t, 2t). A follower that
 *                          has not fetched successfully for this long starts a (pre-)election
 * @param fetchTimeoutMs    check-quorum: a leader that has not been fetched from by a majority within
 *                          this long resigns; also how long a follower waits for a fetch response
 * @param fetchMaxWaitMs    how long the leader holds a fetch that has nothing new (long poll)
 * @param maxFetchEntries   most entries one fetch response carries
 */
public record RaftConfig(int nodeId, Set<Integer> voters, long electionTimeoutMs, long fetchTimeoutMs,
                         long fetchMaxWaitMs, int maxFetchEntries) {

    public RaftConfig {
        // Sorted: iteration order must not depend on the JVM (Set.copyOf's order is salted per run),
        // or the same seed would not replay the same simulation.
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a quorum needs at least one voter");
        }
        if (electionTimeoutMs <= 0 || fetchTimeoutMs <= 0 || fetchMaxWaitMs < 0 || maxFetchEntries <= 0) {
            throw new IllegalArgumentException("timeouts and fetch size must be positive: " + electionTimeoutMs + ", "
                    + fetchTimeoutMs + ", " + fetchMaxWaitMs + ", " + maxFetchEntries);
        }
        if (fetchMaxWaitMs >= fetchTimeoutMs / 2 || fetchMaxWaitMs >= electionTimeoutMs) {
            // A follower re-sends a fetch unanswered for fetchTimeoutMs / 2 and elects after an election
            // timeout; a held fetch must come back well before either, or an idle quorum looks dead.
            throw new IllegalArgumentException("fetchMaxWaitMs (" + fetchMaxWaitMs + ") must be below half of "
                    + "fetchTimeoutMs (" + fetchTimeoutMs + ") and below electionTimeoutMs (" + electionTimeoutMs + ")");
        }
    }

    public boolean isVoter() {
        return voters.contains(nodeId);
    }

    /** Votes (or fetching voters, counting the leader) that make a majority. */
    public int majority() {
        return voters.size() / 2 + 1;
    }
}
