package io.tributary.quorum.raft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A leader's view of its epoch: how far each replica has fetched, when each last fetched
 * (check-quorum), the fetches it holds until there is something new (long poll), and the high
 * watermark, which only advances to offsets that include this epoch's first entry (Raft §5.4.2: a
 * leader commits entries of earlier epochs only by committing one of its own).
 */
final class LeaderState {

    /** A replica's progress: the end of its durable log and when it last fetched. */
    static final class ReplicaProgress {
        long endOffset = -1;
        long lastFetchMs;
        long lastSentHighWatermark = -1;
        /** When it last had everything the leader had (Kafka's lastCaughtUpTimestamp), -1 before that. */
        long lastCaughtUpMs = -1;
        /** The leader's log end at this replica's previous fetch, -1 before its first fetch. */
        long leaderEndAtLastFetch = -1;

        ReplicaProgress(long nowMs) {
            this.lastFetchMs = nowMs;
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
     * leader's log ends at {@code leaderEndOffset}. The replica was caught up now if it reached that
     * end, or at its previous fetch if it reached the end the leader had then (as Kafka's leader does).
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
        return replica;
    }

    /**
     * Records that {@code replicaId} is alive though it sent no fetch that counts as progress (it was
     * sent to fetch a snapshot, or is downloading one): for check-quorum only.
     */
    void recordContact(int replicaId, long nowMs) {
        Map<Integer, ReplicaProgress> progress = voters.contains(replicaId) ? voterProgress : observerProgress;
        progress.computeIfAbsent(replicaId, ignored -> new ReplicaProgress(nowMs)).lastFetchMs = nowMs;
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

    /** Whether a majority of voters (counting the leader) fetched within {@code timeoutMs}. */
    boolean hasQuorum(long nowMs, long timeoutMs) {
        int recent = 1;
        for (ReplicaProgress progress : voterProgress.values()) {
            if (nowMs - progress.lastFetchMs < timeoutMs) {
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

    /** Progress of every replica that fetched, voters and observers (for DescribeQuorum). */
    Map<Integer, ReplicaProgress> allProgress() {
        Map<Integer, ReplicaProgress> all = new HashMap<>(observerProgress);
        all.putAll(voterProgress);
        return all;
    }
}
