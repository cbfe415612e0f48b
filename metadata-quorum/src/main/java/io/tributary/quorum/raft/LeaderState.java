package io.tributary.quorum.raft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A leader's view of its epoch: how far each replica has fetched, when each was last heard from
 * (check-quorum), the fetches it holds until there is something new (long poll), and the high
 * watermark, which only advances to offsets that include this epoch's first entry (Raft §5.4.2: a
 * leader commits entries of earlier epochs only by committing one of its own). Observers not heard
 * from for {@value #OBSERVER_SESSION_TIMEOUT_MS} ms are forgotten, as Kafka's leader forgets them.
 */
final class LeaderState {

    /** Kafka's OBSERVER_SESSION_TIMEOUT_MS: an observer silent this long is gone (stopped or moved). */
    static final long OBSERVER_SESSION_TIMEOUT_MS = 300_000;

    /** A replica's progress: the end of its durable log and when it last fetched. */
    static final class ReplicaProgress {
        long endOffset = -1;
        /** When it last fetched (a fetch that counts as progress; DescribeQuorum's last fetch time). */
        long lastFetchMs;
        /** When it was last heard from at all, fetching a snapshot included (check-quorum, observer expiry). */
        long lastContactMs;
        long lastSentHighWatermark = -1;
        /** When it last had everything the leader had (Kafka's lastCaughtUpTimestamp), -1 before that. */
        long lastCaughtUpMs = -1;
        /** The leader's log end at this replica's previous fetch, -1 before its first fetch. */
        long leaderEndAtLastFetch = -1;

        ReplicaProgress(long nowMs) {
            this.lastFetchMs = nowMs;
            this.lastContactMs = nowMs;
        }
    }

    /** A fetch held until new entries, a new high watermark or its deadline. */
    record HeldFetch(RaftMessage.FetchRequest request, long deadlineMs) {
    }

    private final int selfId;
    private final Set<Integer> voters;
    private final long epochStartOffset;
    private final Map<Integer, ReplicaProgress> voterProgress = new HashMap<>();
    private final Map<Integer, ReplicaProgress> observerProgress = new HashMap<>();
    private final Map<Integer, HeldFetch> held = new HashMap<>();
    private final long electedMs;
    /** When BeginQuorumEpoch was last re-sent to voters that have not fetched yet. */
    long lastBeginQuorumSentMs;

    LeaderState(int selfId, Set<Integer> voters, long epochStartOffset, long nowMs) {
        this.selfId = selfId;
        this.voters = voters;
        this.epochStartOffset = epochStartOffset;
        this.electedMs = nowMs;
        this.lastBeginQuorumSentMs = nowMs;
        for (int voter : voters) {
            if (voter != selfId) {
                voterProgress.put(voter, new ReplicaProgress(nowMs));
            }
        }
    }

    long epochStartOffset() {
        return epochStartOffset;
    }

    /**
     * Records a fetch from {@code replicaId} at {@code fetchOffset} (its durable log end) while the
     * leader's durable log ends at {@code leaderEndOffset}. The replica was caught up now if it reached
     * that end, or at its previous fetch if it reached the end the leader had then (as Kafka's leader does).
     */
    ReplicaProgress recordFetch(int replicaId, long fetchOffset, long leaderEndOffset, long nowMs) {
        Map<Integer, ReplicaProgress> progress = voters.contains(replicaId) ? voterProgress : observerProgress;
        ReplicaProgress replica = progress.computeIfAbsent(replicaId, ignored -> new ReplicaProgress(nowMs));
        if (fetchOffset >= leaderEndOffset) {
            replica.lastCaughtUpMs = Math.max(replica.lastCaughtUpMs, nowMs);
        } else if (replica.leaderEndAtLastFetch > 0 && fetchOffset >= replica.leaderEndAtLastFetch) {
            replica.lastCaughtUpMs = Math.max(replica.lastCaughtUpMs, replica.lastFetchMs);
        }
        replica.leaderEndAtLastFetch = leaderEndOffset;
        replica.endOffset = fetchOffset;
        replica.lastFetchMs = nowMs;
        replica.lastContactMs = nowMs;
        return replica;
    }

    /**
     * Records that {@code replicaId} is alive though it sent no fetch that counts as progress (it was
     * sent to fetch a snapshot, or is downloading one): for check-quorum and observer expiry only, so
     * its last fetch time (and the caught-up time derived from it) stays that of its last real fetch.
     */
    void recordContact(int replicaId, long nowMs) {
        Map<Integer, ReplicaProgress> progress = voters.contains(replicaId) ? voterProgress : observerProgress;
        progress.computeIfAbsent(replicaId, ignored -> new ReplicaProgress(nowMs)).lastContactMs = nowMs;
    }

    /** The progress of a replica that has fetched in this epoch. */
    ReplicaProgress progressOf(int replicaId) {
        ReplicaProgress progress = voterProgress.get(replicaId);
        return progress != null ? progress : observerProgress.get(replicaId);
    }

    /**
     * The high watermark a majority of voters' durable logs allows, given the leader's own durable end,
     * or {@code current} when that does not include this epoch's first entry or would not advance it.
     */
    long highWatermark(long leaderFlushedEnd, long current) {
        List<Long> ends = new ArrayList<>();
        ends.add(leaderFlushedEnd);
        voterProgress.values().forEach(p -> ends.add(p.endOffset));
        ends.sort((a, b) -> Long.compare(b, a));
        long majorityEnd = ends.get(voters.size() / 2);
        return majorityEnd > epochStartOffset && majorityEnd > current ? majorityEnd : current;
    }

    /** Whether a majority of voters (counting the leader) was heard from within {@code timeoutMs}. */
    boolean hasQuorum(long nowMs, long timeoutMs) {
        int recent = 1;
        for (ReplicaProgress progress : voterProgress.values()) {
            if (nowMs - progress.lastContactMs < timeoutMs) {
                recent++;
            }
        }
        return recent >= voters.size() / 2 + 1;
    }

    /** Voters that have not fetched in this epoch yet (they may have missed BeginQuorumEpoch). */
    List<Integer> votersNotFetchedYet() {
        List<Integer> missing = new ArrayList<>();
        voterProgress.forEach((id, progress) -> {
            if (progress.endOffset < 0) {
                missing.add(id);
            }
        });
        return missing;
    }

    long electedMs() {
        return electedMs;
    }

    void hold(RaftMessage.FetchRequest request, long deadlineMs) {
        held.put(request.from(), new HeldFetch(request, deadlineMs));
    }

    /** Removes and returns the held fetches whose deadline passed, or all of them with {@code all}. */
    List<HeldFetch> releaseHeld(long nowMs, boolean all) {
        List<HeldFetch> released = new ArrayList<>();
        held.values().removeIf(fetch -> {
            if (all || fetch.deadlineMs() <= nowMs) {
                released.add(fetch);
                return true;
            }
            return false;
        });
        return released;
    }

    /** The earliest deadline among held fetches, or Long.MAX_VALUE. */
    long nextHeldDeadlineMs() {
        long next = Long.MAX_VALUE;
        for (HeldFetch fetch : held.values()) {
            next = Math.min(next, fetch.deadlineMs());
        }
        return next;
    }

    /**
     * The quorum as this leader sees it at {@code nowMs}, its own durable log ending at
     * {@code flushedEndOffset} (it is caught up with itself now); observers not heard from for
     * {@value #OBSERVER_SESSION_TIMEOUT_MS} ms are forgotten first.
     */
    QuorumInfo describe(int epoch, long highWatermark, long flushedEndOffset, long nowMs) {
        clearInactiveObservers(nowMs);
        List<QuorumInfo.ReplicaState> voterStates = new ArrayList<>();
        List<QuorumInfo.ReplicaState> observerStates = new ArrayList<>();
        voterStates.add(new QuorumInfo.ReplicaState(selfId, flushedEndOffset, nowMs, nowMs));
        voterProgress.forEach((id, progress) -> voterStates.add(state(id, progress)));
        observerProgress.forEach((id, progress) -> observerStates.add(state(id, progress)));
        voterStates.sort(Comparator.comparingInt(QuorumInfo.ReplicaState::nodeId));
        observerStates.sort(Comparator.comparingInt(QuorumInfo.ReplicaState::nodeId));
        return new QuorumInfo(selfId, epoch, highWatermark, voterStates, observerStates);
    }

    private static QuorumInfo.ReplicaState state(int id, ReplicaProgress progress) {
        return new QuorumInfo.ReplicaState(id, progress.endOffset, progress.lastFetchMs, progress.lastCaughtUpMs);
    }

    /** Kafka's clearInactiveObservers; an observer whose fetch is held is active by definition. */
    private void clearInactiveObservers(long nowMs) {
        observerProgress.entrySet().removeIf(entry -> nowMs - entry.getValue().lastContactMs
                >= OBSERVER_SESSION_TIMEOUT_MS && !held.containsKey(entry.getKey()));
    }
}
