package io.tributary.quorum.raft;

import java.util.List;

/**
 * The messages Raft nodes exchange (the transport turns them into gRPC calls; the simulator delivers
 * them in memory, possibly dropped, delayed, duplicated or reordered). Every message names its sender,
 * its receiver and the sender's epoch; a receiver that sees a higher epoch adopts it first.
 */
public sealed interface RaftMessage {

    int from();

    int to();

    int epoch();

    /**
     * A message that expects exactly one {@link Reply} with the same {@code requestId}. The transport
     * carries it as a call whose answer is the reply, so the responder needs no address for the
     * requester (observers are not in any peer list).
     */
    sealed interface Request extends RaftMessage {
        long requestId();
    }

    /** The answer to a {@link Request}: addressed to the requester, with the request's {@code requestId}. */
    sealed interface Reply extends RaftMessage {
        long requestId();
    }

    /**
     * Asks for a vote. With {@code preVote}, nothing changes on either side: the sender only asks
     * whether it could win an election for {@code epoch} (its own epoch plus one), so a node cut off
     * from a healthy leader cannot disturb it by bumping epochs (Raft thesis §9.6).
     */
    record VoteRequest(int from, int to, int epoch, boolean preVote, OffsetAndEpoch lastEntry) implements RaftMessage {
    }

    /** The answer to a vote request; {@code epoch} is the responder's. */
    record VoteResponse(int from, int to, int epoch, boolean preVote, boolean granted) implements RaftMessage {
    }

    /** A new leader announces itself, so voters start fetching from it without waiting for a timeout. */
    record BeginQuorumEpoch(int from, int to, int epoch) implements RaftMessage {
    }

    /**
     * A follower or observer asks the leader for entries from {@code fetchOffset} (its log end, which
     * is durable: followers flush before fetching). {@code lastFetchedEpoch} is the epoch of its entry
     * at {@code fetchOffset - 1}, for the divergence check. {@code requestId} lets the fetcher ignore
     * duplicated or late responses.
     */
    record FetchRequest(int from, int to, int epoch, long requestId, long fetchOffset, int lastFetchedEpoch,
                        long maxWaitMs) implements Request {
    }

    /** Why a fetch was not answered with entries. */
    enum FetchError { NONE, NOT_LEADER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH }

    /**
     * The leader's answer. With a {@code divergingEnd}, the fetcher's log has entries the leader's does
     * not: it truncates to that position (or to its own end for that epoch, if lower) and fetches
     * again. Otherwise {@code entries} continue the fetcher's log and {@code highWatermark} is the
     * leader's commit point. With an error, {@code leaderId} (or -1) and {@code epoch} say whom to
     * follow instead.
     */
    record FetchResponse(int from, int to, int epoch, long requestId, FetchError error, int leaderId,
                         OffsetAndEpoch divergingEnd, List<LogEntry> entries, long highWatermark)
            implements Reply {

        public FetchResponse {
            entries = List.copyOf(entries);
        }
    }
}
