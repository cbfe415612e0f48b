package io.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.storage.testing.Seeds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay equivalence of {@link GroupCoordinatorShard} under seeded random traffic
 * ({@link GroupShardSimulation}): a follower fed only the records the leader's operations return
 * describes, lists and fetches exactly what the leader does after every step, so a coordinator
 * taking over after a failover sees the state the old one had; failovers also rebuild shards from the
 * whole and the compacted log and run the old leader in lockstep with the new one. Replay a failure
 * with {@code -Dtest=GroupCoordinatorShardRandomizedTest -Dtributary.seed=<seed>} (the failure message
 * names the seed, run and step).
 */
@Tag("unit")
class GroupCoordinatorShardRandomizedTest {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorShardRandomizedTest.class);
    private static final int RUNS = 40;
    private static final int STEPS = 300;

    @Test
    void testAFollowerReplayingTheRecordsSeesTheLeadersStateAfterEveryStep() {
        long seed = Seeds.seed("GroupCoordinatorShardRandomizedTest");
        SimulationStats stats = new SimulationStats();
        for (int run = 0; run < RUNS; run++) {
            new GroupShardSimulation(seed + run, "seed=" + seed + " run=" + run, stats).run(STEPS);
        }
        log.info("seed {}: {}", seed, stats);
        String exercised = "seed=" + seed + " exercised too little: " + stats;
        assertTrue(stats.revocations > 0 && stats.lostAnswers > 0 && stats.fencedOrUnknown > 0, exercised);
        assertTrue(stats.staticTakeovers > 0 && stats.expiredMembers > 0 && stats.topicChanges > 0, exercised);
        assertTrue(stats.failovers > 0 && stats.lockstepOperations > 0 && stats.zombies > 0, exercised);
        assertTrue(stats.acceptedCommits > 0 && stats.refusedCommits > 0 && stats.deletedOffsets > 0, exercised);
        assertTrue(stats.deletedGroups > 0 && stats.leaves > 0 && stats.stableGroupsSeen > 0, exercised);
        assertTrue(stats.expiredOffsets > 0, exercised);
    }
}
