package io.tributary.quorum.raft;

import io.tributary.quorum.raft.RaftMessage.FetchError;
import io.tributary.quorum.raft.RaftMessage.FetchRequest;
import io.tributary.quorum.raft.RaftMessage.FetchResponse;
import io.tributary.quorum.raft.RaftRole.Follower;
import io.tributary.quorum.raft.RaftRole.Leader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pull replication for {@link RaftCore}: followers fetch, the leader checks for divergence, answers
 * (or holds the fetch until there is something new), tracks progress and advances the high
 * watermark; check-quorum. A fetcher behind the leader's log start is sent to {@link SnapshotTransfer}.
 * Part of the core (same thread, no I/O).
 */
final class Replication {

    /** Payload bytes one fetch answer carries at most (beyond a single larger entry). */
    static final long MAX_FETCH_BYTES = 4L << 20;

    private final RaftCore core;
    private final SnapshotTransfer snapshots;
    private long nextRequestId;

    Replication(RaftCore core) {
        this.core = core;
        this.snapshots = new SnapshotTransfer(core, this);
        // Random, not 0: a response to a fetch sent before a restart must never match one sent after it.
        this.nextRequestId = core.random().nextLong() & Long.MAX_VALUE;
    }

    SnapshotTransfer snapshots() {
        return snapshots;
    }

    long nextRequestId() {
        return nextRequestId++;
    }

    // ---- follower side ----

    void sendFetch(Follower follower) {
        long fetchOffset = core.log().endOffset();
        follower.inFlightRequestId = nextRequestId();
        follower.inFlightSentMs = core.nowMs();
        follower.inFlightFetchOffset = fetchOffset;
        core.send(new FetchRequest(core.config().nodeId(), follower.leaderId, core.election().epoch(),
                follower.inFlightRequestId, fetchOffset, lastEpochBefore(fetchOffset), core.config().fetchMaxWaitMs()));
    }

    /** An observer that knows no leader asks a random voter, whose answer names the leader. */
    void sendDiscoveryFetch() {
        List<Integer> voters = new ArrayList<>(core.config().voters());
        voters.sort(Integer::compare);
        int target = voters.get(core.random().nextInt(voters.size()));
        long fetchOffset = core.log().endOffset();
        core.send(new FetchRequest(core.config().nodeId(), target, core.election().epoch(), -1, fetchOffset,
                lastEpochBefore(fetchOffset), 0));
    }

    void tickFollower(Follower follower) {
        long now = core.nowMs();
        if (now >= follower.fetchDeadlineMs) {
            if (core.isActiveVoter()) {
                core.startElection();
            } else {
                core.becomeUnattached(core.election().epoch());
            }
        } else if (now - follower.inFlightSentMs >= core.config().fetchTimeoutMs() / 2) {
            // The request or its answer was lost (or the leader is slow): ask again.
            if (follower.download != null) {
                snapshots.sendFetchSnapshot(follower);
            } else {
                sendFetch(follower);
            }
        }
    }

    void onFetchResponse(FetchResponse response) {
        ElectionState election = core.election();
        if (response.epoch() < election.epoch()) {
            return;
        }
        RaftRole role = core.role();
        // Real request ids are never negative: -1 marks discovery and pre-vote fetches, and "none in flight".
        if (role instanceof Follower follower && response.from() == follower.leaderId && response.requestId() >= 0
                && response.requestId() == follower.inFlightRequestId) {
            onFollowerFetchResponse(follower, response);
        } else if (response.error() == FetchError.NONE && response.leaderId() == response.from()
                && response.epoch() == election.epoch()) {
            core.learnLeader(response.from());
        } else if (response.error() == FetchError.NOT_LEADER && response.leaderId() >= 0
                && response.epoch() == election.epoch() && !(role instanceof Follower)) {
            core.learnLeader(response.leaderId());
        }
    }

    private void onFollowerFetchResponse(Follower follower, FetchResponse response) {
        follower.inFlightRequestId = -1;
        if (response.error() != FetchError.NONE) {
            return; // the leader resigned or is behind: wait for news, or time out and elect
        }
        follower.lastFetchSuccessMs = core.nowMs();
        follower.fetchDeadlineMs = core.nowMs() + core.randomElectionTimeoutMs();
        if (response.snapshotId() != null) {
            snapshots.startDownload(follower, response.snapshotId());
            return;
        }
        if (response.divergingEnd() != null) {
            truncateDiverging(response.divergingEnd());
            // No high watermark from this answer: the truncated log may still diverge further back, which
            // only the next fetch's check establishes (it can take several rounds).
            sendFetch(follower);
            return;
        }
        RaftLog log = core.log();
        if (!response.entries().isEmpty() && response.entries().get(0).offset() == log.endOffset()) {
            if (!isWellFormed(response.entries(), response.epoch())) {
                return; // not contiguous, or epochs out of order: never append it; the next fetch asks again
            }
            log.append(response.entries());
            core.markFlushNeeded();
        }
        // The leader accepted this fetch's offset and epoch, so the log matches the leader's up to its end.
        long known = Math.min(response.highWatermark(), log.endOffset());
        if (known > core.highWatermark()) {
            core.setHighWatermark(known);
        }
        maybeFinishCatchingUp(follower.inFlightFetchOffset, response);
        sendFetch(follower);
    }

    private void truncateDiverging(OffsetAndEpoch divergingEnd) {
        OffsetAndEpoch mine = core.log().endOffsetForEpoch(divergingEnd.epoch());
        long truncateTo = Math.min(divergingEnd.offset(), mine.offset());
        if (truncateTo < core.highWatermark()) {
            throw new IllegalStateException("node " + core.config().nodeId() + " was told to truncate to "
                    + truncateTo + ", below its high watermark " + core.highWatermark() + ": committed entries diverge");
        }
        core.log().truncateTo(truncateTo);
        core.markFlushNeeded();
    }

    private boolean isWellFormed(List<LogEntry> entries, int responseEpoch) {
        long expectedOffset = entries.get(0).offset();
        int previousEpoch = core.log().lastEpoch();
        for (LogEntry entry : entries) {
            if (entry.offset() != expectedOffset++ || entry.epoch() < previousEpoch || entry.epoch() > responseEpoch) {
                return false;
            }
            previousEpoch = entry.epoch();
        }
        return true;
    }

    /**
     * A voter catching up after a disk loss may vote again once its durable log (the answered fetch's
     * offset) reaches the leader's high watermark and the entry below that watermark is of the leader's
     * own epoch. Only then does the watermark cover everything committed in earlier epochs — the entries
     * this voter may have acknowledged before the loss included: a new leader's watermark lags those
     * until it commits an entry of its own.
     */
    private void maybeFinishCatchingUp(long durableFetchOffset, FetchResponse response) {
        long hw = response.highWatermark();
        if (!core.election().catchingUp() || hw == 0 || hw < core.log().startOffset() || durableFetchOffset < hw) {
            return;
        }
        if (core.log().epochAt(hw - 1) == response.epoch()) {
            core.finishCatchingUp();
        }
    }

    // ---- leader side ----

    void onFetchRequest(FetchRequest request) {
        ElectionState election = core.election();
        int self = core.config().nodeId();
        if (!(core.role() instanceof Leader leader)) {
            core.send(response(request, FetchError.NOT_LEADER, core.leaderId(), null, null, List.of()));
            return;
        }
        if (request.epoch() < election.epoch()) {
            core.send(response(request, FetchError.FENCED_LEADER_EPOCH, self, null, null, List.of()));
            return;
        }
        LeaderState state = leader.state;
        RaftLog log = core.log();
        Optional<OffsetAndEpoch> snapshot = log.latestSnapshot();
        if (snapshot.isPresent() && needsSnapshot(request, snapshot.get())) {
            state.recordContact(request.from(), core.nowMs());
            core.send(response(request, FetchError.NONE, self, null, snapshot.get(), List.of()));
            return;
        }
        if (request.fetchOffset() > 0) {
            OffsetAndEpoch end = log.endOffsetForEpoch(request.lastFetchedEpoch());
            if (end.epoch() != request.lastFetchedEpoch() || end.offset() < request.fetchOffset()) {
                core.send(response(request, FetchError.NONE, self, end, null, List.of()));
                return;
            }
        }
        LeaderState.ReplicaProgress progress = state.recordFetch(request.from(), request.fetchOffset(),
                log.flushedEndOffset(), core.nowMs());
        maybeAdvanceHighWatermark(state);
        List<LogEntry> entries = readBounded(request.fetchOffset());
        if (entries.isEmpty() && request.maxWaitMs() > 0 && progress.lastSentHighWatermark == core.highWatermark()) {
            state.hold(request, core.nowMs() + Math.min(request.maxWaitMs(), core.config().fetchMaxWaitMs()));
            return;
        }
        progress.lastSentHighWatermark = core.highWatermark();
        core.send(response(request, FetchError.NONE, self, null, null, entries));
    }

    /**
     * Entries from {@code fromOffset} for one fetch answer: at most maxFetchEntries, and no more than
     * {@link #MAX_FETCH_BYTES} of payload unless a single entry is larger, so an answer always fits
     * the transport's message limit and always makes progress.
     */
    private List<LogEntry> readBounded(long fromOffset) {
        List<LogEntry> entries = core.log().read(fromOffset, core.config().maxFetchEntries());
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            LogEntry entry = entries.get(i);
            bytes += entry.control() ? 0 : entry.data().length;
            if (i > 0 && bytes > MAX_FETCH_BYTES) {
                return entries.subList(0, i);
            }
        }
        return entries;
    }

    /**
     * Below the log start there are no entries to send. At or above it, a last fetched epoch older than
     * the snapshot's means the fetcher's entry just below the log start differs from the committed one
     * there (epochs never decrease along a log): its log diverges inside the prefix the snapshot
     * replaced, and none of its entries from there on is committed, so the snapshot may replace them.
     */
    private static boolean needsSnapshot(FetchRequest request, OffsetAndEpoch snapshot) {
        return request.fetchOffset() < snapshot.offset() || request.lastFetchedEpoch() < snapshot.epoch();
    }

    private FetchResponse response(FetchRequest request, FetchError error, int leaderId, OffsetAndEpoch diverging,
                                   OffsetAndEpoch snapshotId, List<LogEntry> entries) {
        return new FetchResponse(core.config().nodeId(), request.from(), core.election().epoch(), request.requestId(),
                error, leaderId, diverging, snapshotId, entries, core.highWatermark());
    }

    void tickLeader(Leader leader) {
        LeaderState state = leader.state;
        long now = core.nowMs();
        for (LeaderState.HeldFetch held : state.releaseHeld(now, false)) {
            answer(state, held.request());
        }
        long fetchTimeoutMs = core.config().fetchTimeoutMs();
        if (now - state.electedMs() >= fetchTimeoutMs && !state.hasQuorum(now, fetchTimeoutMs)) {
            for (LeaderState.HeldFetch held : state.releaseHeld(now, true)) {
                core.send(response(held.request(), FetchError.NOT_LEADER, ElectionState.NONE, null, null, List.of()));
            }
            core.resign();
            return;
        }
        if (now - state.lastBeginQuorumSentMs >= fetchTimeoutMs / 2) {
            state.lastBeginQuorumSentMs = now;
            for (int voter : state.votersNotFetchedYet()) {
                core.send(new RaftMessage.BeginQuorumEpoch(core.config().nodeId(), voter, core.election().epoch()));
            }
        }
    }

    /** New entries or a new high watermark: answer every held fetch now. */
    void answerHeldFetches(LeaderState state) {
        for (LeaderState.HeldFetch held : state.releaseHeld(core.nowMs(), true)) {
            answer(state, held.request());
        }
    }

    /**
     * Answers a held fetch. It was held at the log end, so no snapshot can have replaced what it asks
     * for: a snapshot covers only committed offsets, and the watermark passing the fetch offset
     * released it first.
     */
    private void answer(LeaderState state, FetchRequest request) {
        state.progressOf(request.from()).lastSentHighWatermark = core.highWatermark();
        core.send(response(request, FetchError.NONE, core.config().nodeId(), null, null,
                readBounded(request.fetchOffset())));
    }

    void maybeAdvanceHighWatermark(LeaderState state) {
        long next = state.highWatermark(core.log().flushedEndOffset(), core.highWatermark());
        if (next > core.highWatermark()) {
            core.setHighWatermark(next);
            answerHeldFetches(state);
        }
    }

    int lastEpochBefore(long offset) {
        return offset == 0 ? 0 : core.log().epochAt(offset - 1);
    }
}
