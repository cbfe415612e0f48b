package io.tributary.quorum.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.raft.RaftMessage.FetchError;
import io.tributary.quorum.raft.RaftMessage.FetchRequest;
import io.tributary.quorum.raft.RaftMessage.FetchResponse;
import io.tributary.quorum.raft.RaftMessage.FetchSnapshotRequest;
import io.tributary.quorum.raft.RaftMessage.FetchSnapshotResponse;
import io.tributary.quorum.raft.RaftMessage.VoteResponse;
import io.tributary.quorum.raft.sim.SimRaftLog;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Scenario tests of snapshots: creation, serving them to laggards, downloading and installing them. */
@Tag("unit")
class RaftSnapshotTest {

    private static final Set<Integer> VOTERS = Set.of(1, 2, 3);
    private static final int CHUNK_BYTES = 4;
    private static final byte[] STATE = "ten bytes!".getBytes();

    private static RaftCore core(int id, SimRaftLog log, ElectionState state) {
        return new RaftCore(new RaftConfig(id, VOTERS, 100, 200, 50, 10, CHUNK_BYTES), log, state, new Random(42), 0);
    }

    /** Persist, flush, acknowledge the flush: the driver's part. */
    private static Ready drive(RaftCore core, SimRaftLog log, long nowMs) {
        Ready ready = core.poll();
        if (ready.flushLog()) {
            log.flush();
            core.logFlushed(nowMs);
        }
        return ready;
    }

    @SuppressWarnings("unchecked")
    private static <T extends RaftMessage> T sent(Ready ready, Class<T> type) {
        return (T) ready.messages().stream().filter(type::isInstance).reduce((a, b) -> b).orElseThrow();
    }

    /** Node 1 leads epoch 1 with a control entry and {@code entries} more, all committed (node 2 fetched them). */
    private static RaftCore leaderWithCommitted(SimRaftLog log, int entries) {
        RaftCore leader = core(1, log, ElectionState.initial());
        leader.tick(200);
        leader.step(new VoteResponse(2, 1, 0, true, true), 200);
        leader.step(new VoteResponse(2, 1, 1, false, true), 200);
        drive(leader, log, 200);
        for (int i = 0; i < entries; i++) {
            leader.append(new byte[] {(byte) i}, 210);
        }
        drive(leader, log, 210);
        leader.step(new FetchRequest(2, 1, 1, 7, log.endOffset(), 1, 0), 220);
        assertEquals(log.endOffset(), leader.highWatermark());
        drive(leader, log, 220);
        return leader;
    }

    @Test
    void aSnapshotOfAppliedEntriesReplacesTheLogPrefix() {
        SimRaftLog log = new SimRaftLog();
        RaftCore leader = leaderWithCommitted(log, 5);
        assertTrue(leader.snapshotCreated(new OffsetAndEpoch(4, 1), STATE, 230));
        assertEquals(4, log.startOffset());
        assertEquals(Optional.of(new OffsetAndEpoch(4, 1)), log.latestSnapshot());
        assertFalse(leader.snapshotCreated(new OffsetAndEpoch(3, 1), STATE, 231), "older than the log start: ignored");
        assertFalse(leader.snapshotCreated(new OffsetAndEpoch(4, 1), STATE, 231), "already there: ignored");
        assertThrows(IllegalArgumentException.class, () -> leader.snapshotCreated(new OffsetAndEpoch(7, 1), STATE, 232),
                "offset 6 was never handed out as committed");
        assertThrows(IllegalArgumentException.class, () -> leader.snapshotCreated(new OffsetAndEpoch(5, 2), STATE, 232),
                "the entry at 4 has epoch 1");
    }

    @Test
    void aFetchBelowTheLogStartOrDivergingBeforeItIsToldToFetchTheSnapshot() {
        SimRaftLog log = new SimRaftLog();
        RaftCore leader = leaderWithCommitted(log, 5);
        OffsetAndEpoch id = new OffsetAndEpoch(4, 1);
        leader.snapshotCreated(id, STATE, 230);

        leader.step(new FetchRequest(3, 1, 1, 11, 2, 1, 50), 240);
        FetchResponse below = sent(leader.poll(), FetchResponse.class);
        assertEquals(id, below.snapshotId(), "entries 2 and 3 are gone");
        assertTrue(below.entries().isEmpty());

        leader.step(new FetchRequest(3, 1, 1, 12, 5, 0, 50), 241);
        assertEquals(id, sent(leader.poll(), FetchResponse.class).snapshotId(),
                "an entry of epoch 0 at 4 differs from the committed one of epoch 1 at 3");

        leader.step(new FetchRequest(3, 1, 1, 13, 4, 1, 50), 242);
        FetchResponse atStart = sent(leader.poll(), FetchResponse.class);
        assertNull(atStart.snapshotId(), "at the log start with the snapshot's epoch: entries follow");
        assertEquals(2, atStart.entries().size());
    }

    @Test
    void theLeaderServesItsSnapshotInChunksAndRefusesWhatItCannotServe() {
        SimRaftLog log = new SimRaftLog();
        RaftCore leader = leaderWithCommitted(log, 5);
        OffsetAndEpoch id = new OffsetAndEpoch(4, 1);
        leader.step(new FetchSnapshotRequest(3, 1, 1, 20, id, 0), 229);
        assertEquals(FetchError.SNAPSHOT_NOT_FOUND, sent(leader.poll(), FetchSnapshotResponse.class).error(),
                "no snapshot yet");
        leader.snapshotCreated(id, STATE, 230);

        leader.step(new FetchSnapshotRequest(3, 1, 1, 21, id, 8), 240);
        FetchSnapshotResponse last = sent(leader.poll(), FetchSnapshotResponse.class);
        assertEquals(FetchError.NONE, last.error());
        assertEquals(10, last.sizeBytes());
        assertArrayEquals("s!".getBytes(), last.chunk(), "a chunk is at most 4 bytes, fewer at the end");

        leader.step(new FetchSnapshotRequest(3, 1, 1, 22, id, 11), 241);
        assertEquals(FetchError.POSITION_OUT_OF_RANGE, sent(leader.poll(), FetchSnapshotResponse.class).error());
        leader.step(new FetchSnapshotRequest(3, 1, 1, 23, new OffsetAndEpoch(3, 1), 0), 242);
        assertEquals(FetchError.SNAPSHOT_NOT_FOUND, sent(leader.poll(), FetchSnapshotResponse.class).error());
        leader.step(new FetchSnapshotRequest(3, 1, 0, 24, id, 0), 243);
        assertEquals(FetchError.FENCED_LEADER_EPOCH, sent(leader.poll(), FetchSnapshotResponse.class).error());
    }

    @Test
    void aFollowerAsksTheLeaderItKnowsOfOrIsToldItIsNotTheLeader() {
        RaftCore follower = core(2, new SimRaftLog(), new ElectionState(1, 1, 1));
        follower.poll();
        follower.step(new FetchSnapshotRequest(3, 2, 1, 5, new OffsetAndEpoch(4, 1), 0), 10);
        FetchSnapshotResponse response = sent(follower.poll(), FetchSnapshotResponse.class);
        assertEquals(FetchError.NOT_LEADER, response.error());
        assertEquals(1, response.leaderId());
    }

    /** Node 2 follows node 1 in epoch 1 with an empty log; returns the id of its first fetch. */
    private static long followerFetching(RaftCore follower) {
        return sent(follower.poll(), FetchRequest.class).requestId();
    }

    private static FetchResponse snapshotAnswer(long requestId, OffsetAndEpoch id) {
        return new FetchResponse(1, 2, 1, requestId, FetchError.NONE, 1, null, id, List.of(), 5);
    }

    private static FetchSnapshotResponse chunk(long requestId, OffsetAndEpoch id, int position, String bytes) {
        return new FetchSnapshotResponse(1, 2, 1, requestId, FetchError.NONE, 1, id, position, STATE.length,
                bytes.getBytes());
    }

    @Test
    void aFollowerDownloadsInstallsAndLoadsTheSnapshotThenFetchesFromItsEnd() {
        SimRaftLog log = new SimRaftLog();
        RaftCore follower = core(2, log, new ElectionState(1, 1, 1));
        OffsetAndEpoch id = new OffsetAndEpoch(4, 1);
        follower.step(snapshotAnswer(followerFetching(follower), id), 10);
        FetchSnapshotRequest first = sent(follower.poll(), FetchSnapshotRequest.class);
        assertEquals(0, first.position());
        assertEquals(id, first.snapshotId());
        follower.step(chunk(first.requestId(), id, 0, "ten "), 11);
        FetchSnapshotRequest second = sent(follower.poll(), FetchSnapshotRequest.class);
        assertEquals(4, second.position());
        follower.step(chunk(second.requestId(), id, 4, "byte"), 12);
        FetchSnapshotRequest third = sent(follower.poll(), FetchSnapshotRequest.class);
        follower.step(chunk(third.requestId(), id, 8, "s!"), 13);

        Ready ready = follower.poll();
        assertEquals(new Snapshot(id, STATE), ready.snapshot(), "the state machine loads it");
        assertTrue(ready.committed().isEmpty());
        FetchRequest next = sent(ready, FetchRequest.class);
        assertEquals(4, next.fetchOffset());
        assertEquals(1, next.lastFetchedEpoch(), "the snapshot's epoch stands for the entry before its end");
        assertEquals(4, log.startOffset());
        assertEquals(4, follower.highWatermark(), "a snapshot holds committed entries only");
    }

    @Test
    void aDownloadStartsOverWhenTheLeaderLostTheSnapshotOrAChunkDoesNotFit() {
        RaftCore follower = core(2, new SimRaftLog(), new ElectionState(1, 1, 1));
        OffsetAndEpoch id = new OffsetAndEpoch(4, 1);
        follower.step(snapshotAnswer(followerFetching(follower), id), 10);
        FetchSnapshotRequest request = sent(follower.poll(), FetchSnapshotRequest.class);
        follower.step(new FetchSnapshotResponse(1, 2, 1, request.requestId(), FetchError.SNAPSHOT_NOT_FOUND, 1, id, 0,
                0, null), 11);
        long refetch = sent(follower.poll(), FetchRequest.class).requestId();

        follower.step(snapshotAnswer(refetch, id), 12);
        request = sent(follower.poll(), FetchSnapshotRequest.class);
        follower.step(chunk(request.requestId() + 1, id, 0, "ten "), 13);
        assertTrue(follower.poll().messages().isEmpty(), "an answer to another request is ignored");
        follower.step(chunk(request.requestId(), id, 0, "ten bytes!!!"), 14);
        refetch = sent(follower.poll(), FetchRequest.class).requestId();

        follower.step(snapshotAnswer(refetch, id), 15);
        request = sent(follower.poll(), FetchSnapshotRequest.class);
        follower.step(chunk(request.requestId(), id, 0, ""), 16);
        assertEquals(0, sent(follower.poll(), FetchRequest.class).fetchOffset(), "an empty chunk before the end");

        follower.step(snapshotAnswer(refetch, id), 17);
        assertTrue(follower.poll().messages().isEmpty(), "a duplicate answer to an answered fetch is ignored");
    }

    @Test
    void anUnansweredChunkRequestIsSentAgainAndALeaderErrorWaits() {
        RaftCore follower = core(2, new SimRaftLog(), new ElectionState(1, 1, 1));
        OffsetAndEpoch id = new OffsetAndEpoch(4, 1);
        follower.step(snapshotAnswer(followerFetching(follower), id), 10);
        FetchSnapshotRequest request = sent(follower.poll(), FetchSnapshotRequest.class);
        follower.step(chunk(request.requestId(), id, 0, "ten "), 11);
        FetchSnapshotRequest lost = sent(follower.poll(), FetchSnapshotRequest.class);
        follower.tick(11 + 100);
        FetchSnapshotRequest again = sent(follower.poll(), FetchSnapshotRequest.class);
        assertEquals(4, again.position(), "the same chunk is asked for again");
        assertTrue(again.requestId() != lost.requestId());
        follower.step(new FetchSnapshotResponse(1, 2, 1, again.requestId(), FetchError.NOT_LEADER, -1, id, 4, 0,
                null), 120);
        assertTrue(follower.poll().messages().isEmpty(), "the leader resigned: wait for news");
    }

    @Test
    void aSnapshotBelowTheHighWatermarkOrTooLargeToLoadIsRefused() {
        SimRaftLog log = new SimRaftLog();
        RaftCore follower = core(2, log, new ElectionState(1, 1, 1));
        long fetch = followerFetching(follower);
        follower.step(new FetchResponse(1, 2, 1, fetch, FetchError.NONE, 1, null, null,
                List.of(new LogEntry(0, 1, true, null), new LogEntry(1, 1, false, new byte[1])), 2), 10);
        Ready ready = drive(follower, log, 10);
        assertEquals(2, follower.highWatermark());
        long next = sent(ready, FetchRequest.class).requestId();
        assertThrows(IllegalStateException.class, () -> follower.step(snapshotAnswer(next, new OffsetAndEpoch(1, 1)),
                11), "committed entries would diverge");

        RaftCore other = core(2, new SimRaftLog(), new ElectionState(1, 1, 1));
        OffsetAndEpoch id = new OffsetAndEpoch(4, 1);
        other.step(snapshotAnswer(followerFetching(other), id), 10);
        FetchSnapshotRequest request = sent(other.poll(), FetchSnapshotRequest.class);
        assertThrows(IllegalStateException.class, () -> other.step(new FetchSnapshotResponse(1, 2, 1,
                request.requestId(), FetchError.NONE, 1, id, 0, 3L << 30, new byte[4]), 11));
    }

    @Test
    void aNodeStartsFromItsSnapshotOnDiskAndHandsItOutFirst() {
        SimRaftLog log = new SimRaftLog();
        log.installSnapshot(new OffsetAndEpoch(4, 1), STATE);
        log.append(List.of(new LogEntry(4, 2, true, null)));
        log.flush();
        RaftCore restarted = core(2, log, new ElectionState(2, -1, -1));
        assertEquals(4, restarted.highWatermark(), "the snapshot's entries are committed");
        Ready first = restarted.poll();
        assertEquals(new Snapshot(new OffsetAndEpoch(4, 1), STATE), first.snapshot());
        assertNull(restarted.poll().snapshot(), "handed out once");
    }
}
