package io.tributary.quorum.raft;

import java.util.HashSet;
import java.util.Set;

/**
 * The role a node plays in its current epoch. {@link RaftCore} is the only place roles change, and
 * these are the only transitions:
 *
 * <pre>
 *   Unattached  --election timeout (voter)------------------&gt; Prospective (*)
 *   Prospective --majority of pre-votes---------------------&gt; Candidate (epoch + 1, votes for itself)
 *   Prospective --election timeout--------------------------&gt; Prospective (a new pre-vote round)
 *   Candidate   --majority of votes-------------------------&gt; Leader (appends a control entry)
 *   Candidate   --election timeout--------------------------&gt; Prospective
 *   Leader      --no fetch from a majority in fetchTimeout--&gt; Resigned (check-quorum)
 *   Leader      --resign (shutting down; EndQuorumEpoch)----&gt; Resigned
 *   Follower    --EndQuorumEpoch from its leader------------&gt; Unattached (short backoff)
 *   Resigned    --election timeout--------------------------&gt; Prospective
 *   Follower    --no successful fetch in the timeout--------&gt; Prospective (voter) / Unattached (observer) (*)
 *   any         --message with a higher epoch---------------&gt; Follower (leader known) / Unattached
 *   any but Leader --leader of the current epoch learned----&gt; Follower
 * </pre>
 *
 * (*) A voter that is catching up after a disk loss ({@link ElectionState#catchingUp()}) acts as an
 * observer there: it goes back to Unattached and looks for the leader instead of standing for election.
 *
 * <p>A Follower fetches entries, or, when the leader answers with a snapshot id, the snapshot's
 * chunks ({@link SnapshotDownload}); a new Follower (new epoch or leader) starts over with entries.
 *
 * Roles hold only volatile, per-epoch bookkeeping; what must survive a restart is in
 * {@link ElectionState}.
 */
public sealed interface RaftRole {

    /** No leader known in this epoch; may have voted. Observers look for the leader from here. */
    final class Unattached implements RaftRole {
        long electionDeadlineMs;

        Unattached(long electionDeadlineMs) {
            this.electionDeadlineMs = electionDeadlineMs;
        }
    }

    /** Asking for pre-votes for the next epoch, without changing any state yet. */
    final class Prospective implements RaftRole {
        final Set<Integer> granted = new HashSet<>();
        final Set<Integer> rejected = new HashSet<>();
        final long electionDeadlineMs;

        Prospective(int self, long electionDeadlineMs) {
            granted.add(self);
            this.electionDeadlineMs = electionDeadlineMs;
        }
    }

    /** Voted for itself in this epoch and collecting votes. */
    final class Candidate implements RaftRole {
        final Set<Integer> granted = new HashSet<>();
        final Set<Integer> rejected = new HashSet<>();
        final long electionDeadlineMs;

        Candidate(int self, long electionDeadlineMs) {
            granted.add(self);
            this.electionDeadlineMs = electionDeadlineMs;
        }
    }

    /** Follows the known leader of this epoch by fetching from it. */
    final class Follower implements RaftRole {
        final int leaderId;
        /** A follower that has not fetched successfully by then starts an election (or, observer, looks again). */
        long fetchDeadlineMs;
        /** The last time a fetch from the leader succeeded: pre-votes are refused while it is recent. */
        long lastFetchSuccessMs;
        /** The fetch (or snapshot fetch) in flight, or -1; responses to any other request id are ignored. */
        long inFlightRequestId = -1;
        long inFlightSentMs;
        /** The fetch offset of the fetch in flight: this node's durable log end when it was sent. */
        long inFlightFetchOffset;
        /** The snapshot being fetched from the leader, or null while fetching entries. */
        SnapshotDownload download;

        Follower(int leaderId, long fetchDeadlineMs, long nowMs) {
            this.leaderId = leaderId;
            this.fetchDeadlineMs = fetchDeadlineMs;
            this.lastFetchSuccessMs = nowMs;
        }
    }

    /** Leads this epoch; the bookkeeping is in {@link LeaderState}. */
    final class Leader implements RaftRole {
        final LeaderState state;

        Leader(LeaderState state) {
            this.state = state;
        }
    }

    /** Was the leader of this epoch and gave up (check-quorum or shutdown); serves nobody. */
    final class Resigned implements RaftRole {
        final long electionDeadlineMs;

        Resigned(long electionDeadlineMs) {
            this.electionDeadlineMs = electionDeadlineMs;
        }
    }
}
