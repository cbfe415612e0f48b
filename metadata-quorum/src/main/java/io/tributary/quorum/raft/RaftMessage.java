package io.tributary.quorum.raft;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
     * A leader that is stopping hands over, so its followers elect a successor at once instead of
     * after a fetch timeout. Only timers and roles change: elections still need votes as always.
     */
    record EndQuorumEpoch(int from, int to, int epoch) implements RaftMessage {
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

    /** Why a fetch or snapshot fetch was not answered with data. */
    enum FetchError {
        NONE, NOT_LEADER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH,
        /** The snapshot asked for is not the leader's latest (it was replaced, or never existed). */
        SNAPSHOT_NOT_FOUND,
        /** The position asked for lies past the snapshot's end. */
        POSITION_OUT_OF_RANGE
    }

    /**
     * The leader's answer. With a {@code snapshotId}, the fetcher's log ends below the leader's log
     * start (or diverges within the prefix the leader replaced by that snapshot): it fetches the
     * snapshot ({@link FetchSnapshotRequest}), installs it in place of its whole log, and fetches
     * again from its end. With a {@code divergingEnd}, the fetcher's log has entries the leader's does
     * not: it truncates to that position (or to its own end for that epoch, if lower) and fetches
     * again. Otherwise {@code entries} continue the fetcher's log and {@code highWatermark} is the
     * leader's commit point. With an error, {@code leaderId} (or -1) and {@code epoch} say whom to
     * follow instead.
     */
    record FetchResponse(int from, int to, int epoch, long requestId, FetchError error, int leaderId,
                         OffsetAndEpoch divergingEnd, OffsetAndEpoch snapshotId, List<LogEntry> entries,
                         long highWatermark) implements Reply {

        public FetchResponse {
            entries = List.copyOf(entries);
        }
    }

    /**
     * A follower or observer asks the leader for the bytes of snapshot {@code snapshotId} from
     * {@code position}, after a {@link FetchResponse} named that snapshot.
     */
    record FetchSnapshotRequest(int from, int to, int epoch, long requestId, OffsetAndEpoch snapshotId,
                                long position) implements Request {
    }

    /**
     * The leader's answer: up to {@link RaftConfig#snapshotChunkBytes()} bytes of the snapshot from
     * {@code position}, and the snapshot's total size. With an error, nothing else is meaningful but
     * {@code leaderId} (or -1), as in {@link FetchResponse}.
     */
    record FetchSnapshotResponse(int from, int to, int epoch, long requestId, FetchError error, int leaderId,
                                 OffsetAndEpoch snapshotId, long position, long sizeBytes, byte[] chunk)
            implements Reply {

        public FetchSnapshotResponse {
            chunk = chunk == null ? new byte[0] : chunk;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof FetchSnapshotResponse that && from == that.from && to == that.to
                    && epoch == that.epoch && requestId == that.requestId && error == that.error
                    && leaderId == that.leaderId && Objects.equals(snapshotId, that.snapshotId)
                    && position == that.position && sizeBytes == that.sizeBytes && Arrays.equals(chunk, that.chunk);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, to, epoch, requestId, error, snapshotId, position) * 31 + Arrays.hashCode(chunk);
        }

        @Override
        public String toString() {
            return "FetchSnapshotResponse(" + from + " -> " + to + ", epoch " + epoch + ", request " + requestId
                    + ", " + error + ", leader " + leaderId + ", snapshot " + snapshotId + ", " + chunk.length
                    + " bytes at " + position + " of " + sizeBytes + ")";
        }
    }
}
