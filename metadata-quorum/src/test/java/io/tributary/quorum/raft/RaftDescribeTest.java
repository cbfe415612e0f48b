package io.tributary.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.raft.RaftMessage.FetchRequest;
import io.tributary.quorum.raft.sim.SimRaftLog;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The leader's DescribeQuorum view: progress and Kafka's last-caught-up time per replica. */
@Tag("unit")
class RaftDescribeTest {

    private static final int OBSERVER = 7;

    private final SimRaftLog log = new SimRaftLog();
    private final RaftCore leader = new RaftCore(new RaftConfig(1, Set.of(1), 100, 200, 50, 10), log,
            ElectionState.initial(), new Random(42), 0);

    /** Elects the single voter at 200 ms and flushes its control entry (offset 0): its log ends at 1. */
    private void elect() {
        leader.tick(200);
        assertTrue(leader.isLeader());
        flush(200);
    }

    private void flush(long nowMs) {
        if (leader.poll().flushLog()) {
            log.flush();
            leader.logFlushed(nowMs);
        }
    }

    private void fetch(long fetchOffset, long nowMs) {
        leader.step(new FetchRequest(OBSERVER, 1, leader.epoch(), nowMs, fetchOffset, fetchOffset == 0 ? 0 : 1, 0),
                nowMs);
        leader.poll();
    }

    private QuorumInfo.ReplicaState observer() {
        List<QuorumInfo.ReplicaState> observers = leader.describe().observers();
        assertEquals(1, observers.size(), observers.toString());
        return observers.get(0);
    }

    @Test
    void aReplicaAtTheLeadersEndIsCaughtUpAtThatFetch() {
        elect();
        fetch(0, 300);
        assertEquals(new QuorumInfo.ReplicaState(OBSERVER, 0, 300, -1), observer(), "behind the leader's end (1)");

        fetch(1, 400);
        assertEquals(new QuorumInfo.ReplicaState(OBSERVER, 1, 400, 400), observer());

        QuorumInfo info = leader.describe();
        assertEquals(1, info.leaderId());
        assertEquals(List.of(new QuorumInfo.ReplicaState(1, 1, 400, 400)), info.voters(),
                "the leader is caught up with itself at the time of the answer");
    }

    @Test
    void aReplicaThatReachesTheEndOfItsPreviousFetchWasCaughtUpAtThatPreviousFetch() {
        elect();
        fetch(1, 300);
        leader.append(new byte[] {1}, 350);
        flush(350);
        fetch(1, 400);
        assertEquals(300, observer().lastCaughtUpMs(), "at 400 it is behind the leader's new end (2)");

        leader.append(new byte[] {2}, 450);
        flush(450);
        fetch(2, 500);
        assertEquals(new QuorumInfo.ReplicaState(OBSERVER, 2, 500, 400), observer(),
                "offset 2 was the leader's end at the fetch of 400, not at 500 (3)");
    }

    @Test
    void aReplicaBehindTheLeadersEndIsCaughtUpAtItsPreviousFetchIfItReachedTheEndOfThen() {
        elect();
        fetch(0, 300);
        leader.append(new byte[] {1}, 350);
        flush(350);
        fetch(1, 400);
        assertEquals(new QuorumInfo.ReplicaState(OBSERVER, 1, 400, 300), observer(),
                "behind the leader's end (2) at 400, but 1 was the leader's end at its fetch of 300");
    }

    @Test
    void caughtUpMeansReachingTheLeadersDurableEndNotEntriesItHasNotFlushed() {
        elect();
        leader.append(new byte[] {1}, 350);
        leader.poll(); // the flush is not done: the leader's durable log still ends at 1
        fetch(1, 400);
        assertEquals(new QuorumInfo.ReplicaState(OBSERVER, 1, 400, 400), observer());
        assertEquals(new QuorumInfo.ReplicaState(1, 1, 400, 400), leader.describe().voters().get(0),
                "the leader reports its durable end too");
    }

    @Test
    void beingSentToFetchASnapshotIsNotAFetchThatCountsForCatchingUp() {
        elect();
        fetch(1, 300);
        leader.append(new byte[] {1}, 310);
        leader.append(new byte[] {2}, 320);
        flush(320);
        assertEquals(2, leader.poll().committed().size(), "offsets 1 and 2 are handed out as committed");
        assertTrue(leader.snapshotCreated(new OffsetAndEpoch(3, leader.epoch()), new byte[] {9}, 330));
        leader.append(new byte[] {3}, 340);
        flush(340);

        fetch(0, 600); // below the log start: sent to the snapshot
        assertEquals(new QuorumInfo.ReplicaState(OBSERVER, 1, 300, 300), observer(),
                "the redirect is no fetch: the last fetch is still that of 300");
        leader.step(new FetchRequest(OBSERVER, 1, leader.epoch(), 700, 3, leader.epoch(), 0), 700);
        leader.poll();
        assertEquals(new QuorumInfo.ReplicaState(OBSERVER, 3, 700, 300), observer(),
                "it reached the leader's end of its previous fetch (1), which was at 300, not at the redirect of 600");
    }

    @Test
    void anObserverNotHeardFromForFiveMinutesIsForgotten() {
        elect();
        fetch(1, 300);
        leader.tick(300 + LeaderState.OBSERVER_SESSION_TIMEOUT_MS - 1);
        assertEquals(OBSERVER, observer().nodeId(), "silent for just under 5 minutes: still there");
        assertEquals(1, leader.status().observers().size());

        leader.tick(300 + LeaderState.OBSERVER_SESSION_TIMEOUT_MS);
        assertEquals(List.of(), leader.describe().observers(), "silent for 5 minutes: forgotten");
        assertEquals(List.of(), leader.status().observers(), "and gone from the published status");

        fetch(1, 400_000);
        assertEquals(new QuorumInfo.ReplicaState(OBSERVER, 1, 400_000, 400_000), observer(), "back when it fetches");
    }
}
