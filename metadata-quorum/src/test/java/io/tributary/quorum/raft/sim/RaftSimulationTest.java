package io.tributary.quorum.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Raft simulator over many seeds. {@code -Dtributary.raft.seed=N} replays one seed;
 * {@code -Dtributary.raft.seeds=N} sets how many consecutive seeds run (from
 * {@code -Dtributary.raft.firstSeed}, default 1).
 */
@Tag("system")
class RaftSimulationTest {

    private static final Logger log = LoggerFactory.getLogger(RaftSimulationTest.class);

    @Test
    void safetyAndLivenessHoldForEverySeed() {
        String replay = System.getProperty("tributary.raft.seed");
        long first = replay != null ? Long.parseLong(replay) : Long.getLong("tributary.raft.firstSeed", 1);
        long count = replay != null ? 1 : Long.getLong("tributary.raft.seeds", 2_000);
        long events = 0;
        long committed = 0;
        for (long seed = first; seed < first + count; seed++) {
            try {
                RaftSimulation.Result result = new RaftSimulation(seed, false, replay != null ? Boolean.getBoolean("tributary.raft.crashHeavy") : seed % 4 == 0).run();
                events += result.events();
                committed += result.committedEntries();
            } catch (RuntimeException | AssertionError e) {
                fail("Raft simulation failed for seed " + seed + " (replay with -Dtributary.raft.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
        log.info("Raft simulation: {} seeds from {}, {} events, {} entries committed", count, first, events, committed);
    }

    /**
     * The simulator is only worth something if it catches broken rules: voters that forget whom they
     * voted for (the vote is not persisted) must, for some seed, elect two leaders in one epoch or
     * lose a committed entry.
     */
    @Test
    void catchesVotersThatForgetTheirVote() {
        List<String> violations = new ArrayList<>();
        for (long seed = 1; seed <= 2_000 && violations.isEmpty(); seed++) {
            try {
                new RaftSimulation(seed, true, true).run();
            } catch (Invariants.InvariantViolation e) {
                violations.add("seed " + seed + ": " + e.getMessage());
            }
        }
        log.info("Forgotten votes were caught: {}", violations);
        assertTrue(!violations.isEmpty(), "no seed caught voters that forget their votes");
    }
}
