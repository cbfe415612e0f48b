package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.client.admin.QuorumInfo;
import io.tributary.client.admin.QuorumInfo.ReplicaState;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** MaxFollowerLag, MaxFollowerLagTimeMs and the replication rows, as kafka-metadata-quorum.sh computes them. */
@Tag("unit")
class QuorumReportTest {

    private static ReplicaState replica(int id, long end, long fetchMs, Long caughtUpMs) {
        return new ReplicaState(id, end, OptionalLong.of(fetchMs),
                caughtUpMs == null ? OptionalLong.empty() : OptionalLong.of(caughtUpMs));
    }

    private static final ReplicaState LEADER = replica(101, 50, 9_000, 9_000L);

    @Test
    void theFurthestVoterSetsTheLagAndHowLongAgoItWasCaughtUp() {
        QuorumInfo quorum = new QuorumInfo(101, 3, 48, List.of(replica(100, 45, 8_900, 8_000L), LEADER,
                replica(102, 50, 8_950, 8_950L)), List.of(replica(1, 40, 8_990, 7_000L)));

        assertEquals(3, QuorumReport.maxFollowerLag(quorum), "high watermark 48 minus voter 100's end 45");
        assertEquals(1_000, QuorumReport.maxFollowerLagTimeMs(quorum), "observers do not count");
        assertEquals(List.of(new QuorumReport.Row(LEADER, 0, "Leader"),
                new QuorumReport.Row(quorum.voters().get(0), 5, "Follower"),
                new QuorumReport.Row(quorum.voters().get(2), 0, "Follower"),
                new QuorumReport.Row(quorum.observers().get(0), 10, "Observer")), QuorumReport.rows(quorum));
    }

    @Test
    void aLoneLeaderLagsZeroAndAnUnknownCaughtUpTimeIsMinusOne() {
        assertEquals(0, QuorumReport.maxFollowerLagTimeMs(new QuorumInfo(101, 1, 50, List.of(LEADER), List.of())));
        assertEquals(0, QuorumReport.maxFollowerLag(new QuorumInfo(101, 1, 50, List.of(LEADER), List.of())));
        QuorumInfo neverCaughtUp = new QuorumInfo(101, 1, 50, List.of(LEADER, replica(102, 10, 8_000, null)), List.of());
        assertEquals(-1, QuorumReport.maxFollowerLagTimeMs(neverCaughtUp));
        assertEquals(40, QuorumReport.maxFollowerLag(neverCaughtUp));
    }
}
