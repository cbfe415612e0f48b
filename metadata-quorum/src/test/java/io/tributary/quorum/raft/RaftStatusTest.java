package io.tributary.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.raft.sim.SimRaftLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftCore#status()}: three voters and an observer driven by hand on simulated time (every
 * message delivered, every log flushed at once), with a voter cut off to make lag visible.
 */
@Tag("unit")
class RaftStatusTest {

    private static final Set<Integer> VOTERS = Set.of(1, 2, 3);
    private static final int OBSERVER = 4;
    private static final long TICK_MS = 10;

    private final Map<Integer, RaftCore> cores = new TreeMap<>();
    private final Map<Integer, SimRaftLog> logs = new TreeMap<>();
    private final Set<Integer> cutOff = new java.util.HashSet<>();
    private long nowMs;

    private void addNode(int id, long seed) {
        SimRaftLog log = new SimRaftLog();
        logs.put(id, log);
        cores.put(id, new RaftCore(new RaftConfig(id, VOTERS, 100, 200, 50, 10), log, ElectionState.initial(),
                new Random(seed), 0));
    }

    /** One tick of every core, then every message delivered (and every log flushed) until all are quiet. */
    private void turn() {
        nowMs += TICK_MS;
        cores.values().forEach(core -> core.tick(nowMs));
        Deque<RaftMessage> inFlight = new ArrayDeque<>();
        do {
            while (!inFlight.isEmpty()) {
                RaftMessage message = inFlight.poll();
                RaftCore target = cores.get(message.to());
                if (target != null && !cutOff.contains(message.to()) && !cutOff.contains(message.from())) {
                    target.step(message, nowMs);
                }
            }
            for (Map.Entry<Integer, RaftCore> entry : cores.entrySet()) {
                for (int round = 0; round < 8; round++) {
                    Ready ready = entry.getValue().poll();
                    if (ready.isEmpty()) {
                        break;
                    }
                    if (ready.flushLog()) {
                        logs.get(entry.getKey()).flush();
                        entry.getValue().logFlushed(nowMs);
                    }
                    inFlight.addAll(ready.messages());
                }
            }
        } while (!inFlight.isEmpty());
    }

    private void runUntil(BooleanSupplier done) {
        for (int turns = 0; turns < 10_000; turns++) {
            if (done.getAsBoolean()) {
                return;
            }
            turn();
        }
        throw new AssertionError("not reached after 10000 turns; statuses " + statuses());
    }

    private List<RaftStatus> statuses() {
        return cores.values().stream().map(RaftCore::status).toList();
    }

    private RaftCore leader() {
        return cores.values().stream().filter(RaftCore::isLeader).findFirst().orElseThrow();
    }

    private static Map<Integer, Long> lags(List<RaftStatus.ReplicaProgress> replicas) {
        return replicas.stream().collect(Collectors.toMap(RaftStatus.ReplicaProgress::nodeId,
                RaftStatus.ReplicaProgress::lagOffsets));
    }

    @Test
    void theLeaderReportsEveryReplicasLagAndOthersReportNone() {
        VOTERS.forEach(id -> addNode(id, id));
        addNode(OBSERVER, OBSERVER);
        runUntil(() -> cores.values().stream().anyMatch(RaftCore::isLeader)
                && cores.values().stream().allMatch(c -> c.leaderId() >= 0));
        RaftCore leader = leader();
        for (int i = 0; i < 5; i++) {
            leader.append(new byte[] {(byte) i}, nowMs);
        }
        runUntil(() -> statuses().stream().allMatch(s -> s.highWatermark() == leader.status().logEndOffset()));

        RaftStatus status = leader.status();
        assertTrue(status.isLeader());
        assertEquals(leader.nodeId(), status.leaderId());
        assertEquals(6, status.logEndOffset(), "the control entry that started the epoch and five appends");
        assertEquals(Map.of(1, 0L, 2, 0L, 3, 0L), lags(status.voters()), "every voter caught up");
        assertEquals(Map.of(OBSERVER, 0L), lags(status.observers()));
        assertEquals(1, status.electionsStarted(), "one election won at the first try");
        for (RaftStatus other : statuses()) {
            if (other.nodeId() != leader.nodeId()) {
                assertFalse(other.isLeader());
                assertEquals(leader.nodeId(), other.leaderId());
                assertTrue(other.voters().isEmpty() && other.observers().isEmpty(), "only the leader knows progress");
                assertEquals(6, other.logEndOffset());
                assertEquals(0, other.electionsStarted(), "it never stood for election");
            }
        }
    }

    @Test
    void aCutOffVoterLagsByWhatItMissedAndItsFetchAgesWhileAPreVoteIsNotAnElection() {
        VOTERS.forEach(id -> addNode(id, id));
        addNode(OBSERVER, OBSERVER);
        runUntil(() -> cores.values().stream().allMatch(c -> c.leaderId() >= 0) && leader().status().voters().size() == 3
                && leader().status().voters().stream().allMatch(r -> r.lagOffsets() == 0));
        RaftCore leader = leader();
        int behind = VOTERS.stream().filter(id -> id != leader.nodeId()).findFirst().orElseThrow();
        long electionsBefore = cores.get(behind).status().electionsStarted();
        cutOff.add(behind);
        long cutAtMs = nowMs;
        for (int i = 0; i < 3; i++) {
            leader.append(new byte[] {(byte) i}, nowMs);
        }
        runUntil(() -> leader.status().highWatermark() == leader.status().logEndOffset()
                && nowMs - cutAtMs >= 150);

        RaftStatus status = leader.status();
        RaftStatus.ReplicaProgress lagging = status.voters().stream().filter(r -> r.nodeId() == behind)
                .findFirst().orElseThrow();
        assertEquals(3, lagging.lagOffsets(), "it missed the three appends");
        assertEquals(status.logEndOffset() - 3, lagging.endOffset());
        assertTrue(lagging.fetchAgeMs() >= 150, "last fetched " + lagging.fetchAgeMs() + " ms ago");
        assertEquals(0, lags(status.observers()).get(OBSERVER));
        // Cut off, its election timer fires: it asks for pre-votes nobody can answer, and never becomes a candidate.
        assertEquals(electionsBefore, cores.get(behind).status().electionsStarted());

        cutOff.clear();
        runUntil(() -> lags(leader.status().voters()).get(behind) == 0
                && cores.get(behind).status().highWatermark() == leader.status().highWatermark());
        assertTrue(leader.isLeader(), "the returning voter did not disrupt the leader");
        assertEquals(electionsBefore, cores.get(behind).status().electionsStarted());
    }
}
