package io.tributary.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.raft.RaftMessage.BeginQuorumEpoch;
import io.tributary.quorum.raft.RaftMessage.FetchRequest;
import io.tributary.quorum.raft.RaftMessage.FetchResponse;
import io.tributary.quorum.raft.RaftMessage.VoteRequest;
import io.tributary.quorum.raft.RaftMessage.VoteResponse;
import io.tributary.quorum.raft.sim.SimRaftLog;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Scenario tests of single Raft rules, each driving one core by hand. */
@Tag("unit")
class RaftCoreTest {

    private static final long ELECTION_MS = 100;
    private static final long FETCH_TIMEOUT_MS = 200;

    private final SimRaftLog log = new SimRaftLog();

    private RaftCore core(int id, Set<Integer> voters, ElectionState state) {
        return new RaftCore(new RaftConfig(id, voters, ELECTION_MS, FETCH_TIMEOUT_MS, 50, 10), log, state,
                new Random(42), 0);
    }

    /** Runs the driver's part: persist, flush, acknowledge the flush, and returns what was to be done. */
    private Ready drive(RaftCore core, long nowMs) {
        Ready ready = core.poll();
        if (ready.flushLog()) {
            log.flush();
            core.logFlushed(nowMs);
        }
        return ready;
    }

    @Test
    void aSingleVoterElectsItselfAndCommitsOnceFlushed() {
        RaftCore core = core(1, Set.of(1), ElectionState.initial());
        core.tick(2 * ELECTION_MS);
        assertTrue(core.isLeader());
        assertEquals(1, core.epoch());
        Ready first = drive(core, 2 * ELECTION_MS);
        assertEquals(new ElectionState(1, 1, 1), first.electionState(), "the vote and leadership are persisted");
        long offset = core.append(new byte[] {7}, 300);
        assertEquals(1, offset, "offset 0 is the leader's control entry");
        assertEquals(1, core.highWatermark(), "only the flushed control entry is committed");
        drive(core, 300);
        assertEquals(2, core.highWatermark());
        List<LogEntry> committed = core.poll().committed();
        assertEquals(1, committed.size());
        assertEquals(1, committed.get(0).offset());
    }

    @Test
    void aVoteIsGrantedOncePerEpochAndPersistedWithTheResponse() {
        RaftCore core = core(2, Set.of(1, 2, 3), ElectionState.initial());
        core.step(new VoteRequest(1, 2, 1, false, new OffsetAndEpoch(0, 0)), 10);
        Ready ready = core.poll();
        assertEquals(new ElectionState(1, 1, -1), ready.electionState());
        assertTrue(((VoteResponse) ready.messages().get(0)).granted());

        core.step(new VoteRequest(3, 2, 1, false, new OffsetAndEpoch(0, 0)), 11);
        Ready second = core.poll();
        assertNull(second.electionState(), "a refused vote changes nothing");
        assertFalse(((VoteResponse) second.messages().get(0)).granted(), "one vote per epoch (§5.2)");
    }

    @Test
    void votesGoOnlyToLogsAtLeastAsUpToDate() {
        log.append(List.of(new LogEntry(0, 2, true, null)));
        RaftCore core = core(2, Set.of(1, 2, 3), new ElectionState(2, -1, -1));
        core.step(new VoteRequest(1, 2, 3, false, new OffsetAndEpoch(5, 1)), 10);
        assertFalse(((VoteResponse) core.poll().messages().get(0)).granted(), "older last epoch loses (§5.4.1)");
        core.step(new VoteRequest(3, 2, 3, false, new OffsetAndEpoch(1, 2)), 11);
        assertTrue(((VoteResponse) core.poll().messages().get(0)).granted());
    }

    @Test
    void aFollowerThatHearsFromItsLeaderRefusesPreVotes() {
        RaftCore core = core(2, Set.of(1, 2, 3), new ElectionState(4, 1, 1));
        assertEquals("Follower", core.roleName());
        core.step(new VoteRequest(3, 2, 5, true, new OffsetAndEpoch(0, 0)), 10);
        Ready ready = core.poll();
        assertFalse(((VoteResponse) ready.messages().stream().filter(m -> m instanceof VoteResponse).findFirst()
                .orElseThrow()).granted(), "a live leader is not disturbed (thesis §9.6)");
        assertEquals(4, core.epoch(), "a pre-vote changes no epoch");
    }

    @Test
    void aStoppingLeaderHandsOverAndItsFollowersStandForElectionAtOnce() {
        RaftCore leader = core(1, Set.of(1, 2, 3), new ElectionState(0, -1, -1));
        leader.tick(2 * ELECTION_MS);
        leader.step(new VoteResponse(2, 1, 0, true, true), 2 * ELECTION_MS);
        leader.step(new VoteResponse(2, 1, 1, false, true), 2 * ELECTION_MS);
        drive(leader, 2 * ELECTION_MS);
        leader.handOverLeadership(300);
        assertEquals("Resigned", leader.roleName());
        List<RaftMessage> handOver = leader.poll().messages();
        assertEquals(List.of(new RaftMessage.EndQuorumEpoch(1, 2, 1), new RaftMessage.EndQuorumEpoch(1, 3, 1)), handOver);

        RaftCore follower = new RaftCore(new RaftConfig(2, Set.of(1, 2, 3), ELECTION_MS, FETCH_TIMEOUT_MS, 50, 10),
                new SimRaftLog(), new ElectionState(1, 1, 1), new Random(7), 300);
        follower.step(new RaftMessage.EndQuorumEpoch(3, 2, 1), 301);
        assertEquals("Follower", follower.roleName(), "only its own leader's hand-over counts");
        follower.step(new RaftMessage.EndQuorumEpoch(1, 2, 0), 301);
        assertEquals("Follower", follower.roleName(), "and only for the current epoch");
        follower.step(new RaftMessage.EndQuorumEpoch(1, 2, 1), 301);
        follower.step(new VoteRequest(3, 2, 2, true, new OffsetAndEpoch(0, 0)), 302);
        assertTrue(((VoteResponse) follower.poll().messages().stream().filter(m -> m instanceof VoteResponse)
                .findFirst().orElseThrow()).granted(), "a follower told of the hand-over grants pre-votes");
        follower.tick(301 + ELECTION_MS / 4);
        assertEquals("Prospective", follower.roleName(), "it stands within a quarter of the election timeout");
    }

    @Test
    void staleEpochMessagesAreRefusedWithoutSideEffects() {
        RaftCore core = core(2, Set.of(1, 2, 3), new ElectionState(7, -1, -1));
        core.step(new VoteRequest(1, 2, 3, false, new OffsetAndEpoch(100, 6)), 10);
        Ready ready = core.poll();
        assertNull(ready.electionState());
        VoteResponse response = (VoteResponse) ready.messages().get(0);
        assertFalse(response.granted());
        assertEquals(7, response.epoch(), "the answer tells the sender the current epoch");
        core.step(new BeginQuorumEpoch(1, 2, 5), 11);
        assertEquals("Unattached", core.roleName(), "an old leader's announcement is ignored");
        core.step(new FetchResponse(1, 2, 6, 99, RaftMessage.FetchError.NONE, 1, null, null,
                List.of(new LogEntry(0, 6, false, new byte[] {1})), 1), 12);
        assertEquals(0, log.endOffset(), "entries from an older epoch are not appended");
    }

    @Test
    void aLeaderCutOffFromTheMajorityResigns() {
        RaftCore core = core(1, Set.of(1, 2, 3), new ElectionState(0, -1, -1));
        core.tick(2 * ELECTION_MS);
        core.step(new VoteResponse(2, 1, 0, true, true), 2 * ELECTION_MS);
        core.step(new VoteResponse(2, 1, 1, false, true), 2 * ELECTION_MS);
        assertTrue(core.isLeader());
        core.tick(2 * ELECTION_MS + FETCH_TIMEOUT_MS + 1);
        assertEquals("Resigned", core.roleName(), "no voter fetched within fetchTimeoutMs: check-quorum");
        assertThrows(IllegalStateException.class, () -> core.append(new byte[1], 1_000));
    }

    @Test
    void aQuorumStateOlderThanTheLogIsRefused() {
        log.append(List.of(new LogEntry(0, 3, true, null)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> core(2, Set.of(1, 2, 3), new ElectionState(1, -1, -1)));
        assertTrue(e.getMessage().contains("quorum-state"), e.getMessage());
    }

    @Test
    void votesFromNonVotersDoNotCount() {
        RaftCore core = core(1, Set.of(1, 2, 3), new ElectionState(0, -1, -1));
        core.tick(2 * ELECTION_MS);
        core.step(new VoteResponse(7, 1, 0, true, true), 2 * ELECTION_MS);
        assertEquals("Prospective", core.roleName(), "node 7 is no voter: still one pre-vote of two needed");
        core.step(new VoteResponse(2, 1, 0, true, true), 2 * ELECTION_MS);
        assertEquals("Candidate", core.roleName());
    }

    @Test
    void aDivergingFollowerIsToldWhereTheLeadersLogForItsEpochEnds() {
        RaftCore leader = core(1, Set.of(1, 2, 3), new ElectionState(0, -1, -1));
        leader.tick(2 * ELECTION_MS);
        leader.step(new VoteResponse(2, 1, 0, true, true), 200);
        leader.step(new VoteResponse(2, 1, 1, false, true), 200);
        drive(leader, 200);
        leader.step(new FetchRequest(2, 1, 1, 5, 3, 0, 50), 210);
        FetchResponse response = (FetchResponse) leader.poll().messages().stream()
                .filter(m -> m instanceof FetchResponse).findFirst().orElseThrow();
        assertNotNull(response.divergingEnd(), "the follower claims 3 entries of epoch 0 the leader does not have");
        assertEquals(new OffsetAndEpoch(0, 0), response.divergingEnd());
        assertTrue(response.entries().isEmpty());
    }
}
