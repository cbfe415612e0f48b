package io.tributary.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.raft.RaftMessage.FetchError;
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

/** The empty-disk rule: a voter that lost its disk catches up before it votes or stands for election. */
@Tag("unit")
class RaftCatchUpTest {

    private static final Set<Integer> VOTERS = Set.of(1, 2, 3);

    private final SimRaftLog log = new SimRaftLog();

    private RaftCore core(Set<Integer> voters, ElectionState state) {
        return new RaftCore(new RaftConfig(2, voters, 100, 200, 50, 10), log, state, new Random(42), 0);
    }

    private static <T extends RaftMessage> List<T> sent(Ready ready, Class<T> type) {
        return ready.messages().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Appends and flushes what a fetch answer carried; returns the next fetch. */
    private FetchRequest answer(RaftCore core, FetchRequest fetch, List<LogEntry> entries, long hw, long nowMs) {
        core.step(new FetchResponse(1, 2, 2, fetch.requestId(), FetchError.NONE, 1, null, null, entries, hw), nowMs);
        Ready ready = core.poll();
        if (ready.flushLog()) {
            log.flush();
        }
        return sent(ready, FetchRequest.class).get(0);
    }

    @Test
    void aRejoiningVoterGrantsNoVoteAndStandsForNoElection() {
        RaftCore core = core(VOTERS, ElectionState.rejoining());
        core.step(new VoteRequest(1, 2, 1, true, new OffsetAndEpoch(0, 0)), 10);
        assertFalse(sent(core.poll(), VoteResponse.class).get(0).granted(), "no pre-vote");
        core.step(new VoteRequest(1, 2, 1, false, new OffsetAndEpoch(0, 0)), 11);
        Ready refused = core.poll();
        assertFalse(sent(refused, VoteResponse.class).get(0).granted(), "no vote, though its empty log is behind");
        assertEquals(new ElectionState(1, -1, -1, true), refused.electionState(), "the epoch is learned, the flag kept");
        core.tick(1_000);
        Ready ready = core.poll();
        assertTrue(sent(ready, VoteRequest.class).isEmpty(), "no election");
        assertEquals(-1, sent(ready, FetchRequest.class).get(0).requestId(), "it looks for the leader, as an observer");
        assertEquals("Unattached", core.roleName());
    }

    @Test
    void itVotesAgainOnceItsDurableLogHoldsAWatermarkOfTheLeadersOwnEpoch() {
        RaftCore core = core(VOTERS, new ElectionState(2, -1, 1, true));
        FetchRequest fetch = sent(core.poll(), FetchRequest.class).get(0);
        List<LogEntry> epochOne = List.of(new LogEntry(0, 1, true, null), new LogEntry(1, 1, false, new byte[1]),
                new LogEntry(2, 1, false, new byte[1]));
        fetch = answer(core, fetch, epochOne, 3, 10);
        assertTrue(core.isCatchingUp(), "its fetch offset 0 was below the watermark 3");
        fetch = answer(core, fetch, List.of(new LogEntry(3, 2, true, null)), 3, 11);
        assertTrue(core.isCatchingUp(), "the watermark 3 covers only epoch 1: the new leader has not committed yet, "
                + "and entries the lost disk acknowledged may lie beyond it");
        core.step(new FetchResponse(1, 2, 2, fetch.requestId(), FetchError.NONE, 1, null, null, List.of(), 4), 12);
        Ready ready = core.poll();
        assertFalse(core.isCatchingUp());
        assertEquals(new ElectionState(2, -1, 1, false), ready.electionState(), "the clearing is persisted");

        core.tick(1_000);
        assertFalse(sent(core.poll(), VoteRequest.class).isEmpty(), "the leader went silent: it stands for election");
    }

    @Test
    void aWatermarkItHasNotMadeDurableDoesNotCount() {
        RaftCore core = core(VOTERS, new ElectionState(2, -1, 1, true));
        FetchRequest fetch = sent(core.poll(), FetchRequest.class).get(0);
        core.step(new FetchResponse(1, 2, 2, fetch.requestId(), FetchError.NONE, 1, null, null,
                List.of(new LogEntry(0, 2, true, null)), 1), 10);
        assertTrue(core.isCatchingUp(), "the entry below the watermark arrived with this answer, unflushed");
    }

    @Test
    void theOnlyVoterCannotRejoinAfterLosingItsDisk() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> core(Set.of(2), ElectionState.rejoining()));
        assertTrue(e.getMessage().contains("no quorum to catch up from"), e.getMessage());
    }
}
