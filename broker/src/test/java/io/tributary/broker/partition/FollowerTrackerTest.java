package io.tributary.broker.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FollowerTrackerTest {

    private static final long LAG_MS = 1_000;

    /** Leader 1 with followers 2 and 3, all in sync, leadership starting at time 0. */
    private static FollowerTracker tracker() {
        return new FollowerTracker(1, List.of(1, 2, 3), List.of(1, 2, 3), 5, 0);
    }

    @Test
    void theHighWatermarkIsTheLowestOffsetInTheIsrAndUnknownUntilEveryMemberFetched() {
        FollowerTracker tracker = tracker();
        assertEquals(-1, tracker.highWatermarkCandidate(10, false), "followers have not fetched yet");
        tracker.recordFetch(2, 10, 4, 10, 1);
        tracker.recordFetch(3, 7, 7, 10, 1);
        assertEquals(7, tracker.highWatermarkCandidate(10, false));
        assertEquals(4, tracker.highWatermarkCandidate(10, true), "durable: follower 2 fsynced only up to 4");
        assertEquals(3, tracker.highWatermarkCandidate(3, false), "the leader's own offset counts too");
    }

    @Test
    void aFollowerOutsideTheIsrDoesNotHoldTheHighWatermarkBack() {
        FollowerTracker tracker = new FollowerTracker(1, List.of(1, 2, 3), List.of(1, 2), 5, 0);
        tracker.recordFetch(2, 10, 10, 10, 1);
        assertEquals(10, tracker.highWatermarkCandidate(10, false));
    }

    @Test
    void aProposedShrinkStillCountsTheLeavingMemberUntilCommitted() {
        FollowerTracker tracker = tracker();
        tracker.recordFetch(2, 10, 10, 10, 1);
        tracker.recordFetch(3, 2, 2, 10, 1);
        tracker.propose(List.of(1, 2));
        assertEquals(2, tracker.highWatermarkCandidate(10, false));
        assertTrue(tracker.applyCommitted(List.of(1, 2, 3), List.of(1, 2), 6, 2));
        assertEquals(10, tracker.highWatermarkCandidate(10, false));
        assertEquals(Optional.empty(), tracker.proposal());
    }

    @Test
    void aFollowerThatStopsCatchingUpForTheLagTimeIsShrunkOut() {
        FollowerTracker tracker = tracker();
        tracker.recordFetch(2, 10, 10, 10, 500);
        tracker.recordFetch(3, 5, 5, 10, 500);
        assertEquals(Optional.empty(), tracker.shrink(1_000, LAG_MS), "both are within the lag time");
        tracker.recordFetch(2, 10, 10, 10, 1_400);
        assertEquals(Optional.of(List.of(1, 2)), tracker.shrink(1_400, LAG_MS), "3 last caught up at time 0");
    }

    @Test
    void reachingWhatTheLeaderHadAtThePreviousFetchCountsAsCaughtUpThen() {
        FollowerTracker tracker = tracker();
        tracker.recordFetch(2, 20, 20, 20, 1_800);
        tracker.recordFetch(3, 5, 5, 10, 900);
        tracker.recordFetch(3, 10, 10, 20, 1_800);
        assertEquals(Optional.empty(), tracker.shrink(1_850, LAG_MS),
                "3 reached 10, the leader's end at its fetch at 900, so it counts as caught up at 900");
        assertEquals(Optional.of(List.of(1, 2)), tracker.shrink(1_950, LAG_MS), "but not since");
    }

    @Test
    void aCaughtUpFollowerRejoinsOnlyWithTheHighWatermarkAndTheCurrentEpoch() {
        FollowerTracker tracker = new FollowerTracker(1, List.of(1, 2, 3), List.of(1, 2), 5, 0);
        tracker.recordFetch(3, 8, 8, 12, 1);
        tracker.recordLogStartOffset(3, 0);
        assertEquals(Optional.empty(), tracker.expansion(3, 10, 4, 0, false), "below the high watermark");
        tracker.recordFetch(3, 10, 6, 12, 2);
        assertEquals(Optional.of(List.of(1, 2, 3)), tracker.expansion(3, 10, 4, 0, false));
        assertEquals(Optional.empty(), tracker.expansion(3, 10, 4, 0, true), "not fsynced up to the high watermark");
        assertEquals(Optional.empty(), tracker.expansion(3, 10, 11, 0, false), "has not reached the leader epoch start");
        tracker.propose(List.of(1, 2, 3));
        assertEquals(Optional.empty(), tracker.expansion(3, 10, 4, 0, false), "one change at a time");
    }

    @Test
    void aFollowerRejoinsOnlyOnceItsLogStartOffsetReachesTheLeaders() {
        // The leader deleted the records below 7 and answered with 1 and 2 in the ISR; 3 was out.
        FollowerTracker tracker = new FollowerTracker(1, List.of(1, 2, 3), List.of(1, 2), 5, 0);
        tracker.recordFetch(3, 10, 10, 10, 1);
        assertEquals(Optional.empty(), tracker.expansion(3, 10, 4, 7, false),
                "3 has not reported a log start offset yet");
        tracker.recordLogStartOffset(3, 2);
        assertEquals(Optional.empty(), tracker.expansion(3, 10, 4, 7, false),
                "3 still holds the deleted records 2-6; as leader it would bring them back");
        tracker.recordLogStartOffset(3, 7);
        assertEquals(Optional.of(List.of(1, 2, 3)), tracker.expansion(3, 10, 4, 7, false));
    }

    @Test
    void onlyTheFetchingFollowerIsConsideredForTheIsr() {
        // 3 left the ISR in a controlled shutdown after fetching up to the high watermark, then stopped.
        FollowerTracker tracker = new FollowerTracker(1, List.of(1, 2, 3), List.of(1, 2), 5, 0);
        tracker.recordFetch(3, 10, 10, 10, 1);
        tracker.recordFetch(2, 10, 10, 10, 2);

        assertEquals(Optional.empty(), tracker.expansion(2, 10, 4, 0, false),
                "2 is already in; 3's old position says nothing about whether 3 may rejoin");
        assertEquals(Optional.empty(), tracker.expansion(1, 10, 4, 0, false), "the leader is not a follower");
    }

    @Test
    void olderPartitionEpochsAreIgnoredAndNewReplicasAreTracked() {
        FollowerTracker tracker = tracker();
        assertFalse(tracker.applyCommitted(List.of(1, 2), List.of(1, 2), 5, 0));
        assertEquals(List.of(1, 2, 3), tracker.isr());
        assertTrue(tracker.applyCommitted(List.of(1, 2, 4), List.of(1, 2), 7, 0));
        assertTrue(tracker.recordFetch(4, 3, 3, 10, 1));
        assertFalse(tracker.recordFetch(3, 3, 3, 10, 1), "3 is no longer a replica");
        assertEquals(7, tracker.partitionEpoch());
    }

    @Test
    void theLowWatermarkIsTheLowestLogStartOffsetOverTheMaximalIsr() {
        FollowerTracker tracker = new FollowerTracker(1, List.of(1, 2, 3), List.of(1, 2), 5, 0);
        assertEquals(-1, tracker.lowWatermark(4), "follower 2 has not reported a log start offset");
        assertTrue(tracker.isNewLogStartOffset(2, 6));
        assertTrue(tracker.recordLogStartOffset(2, 6));
        assertFalse(tracker.isNewLogStartOffset(2, 6), "the same offset again is not new");
        assertFalse(tracker.recordLogStartOffset(2, 6), "the same offset again changes nothing");
        assertFalse(tracker.isNewLogStartOffset(4, 0), "4 is not a replica");
        assertFalse(tracker.recordLogStartOffset(4, 0), "4 is not a replica");
        assertEquals(4, tracker.lowWatermark(4), "the leader's own log start offset counts too");
        assertTrue(tracker.recordLogStartOffset(3, 1));
        assertEquals(4, tracker.lowWatermark(4), "3 is outside the ISR");
        tracker.propose(List.of(1, 2, 3));
        assertEquals(1, tracker.lowWatermark(4), "a proposed member counts at once");
    }
}
