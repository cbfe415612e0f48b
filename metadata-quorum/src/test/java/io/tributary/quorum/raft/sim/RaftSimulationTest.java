package io.tributary.quorum.raft.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tributary.quorum.raft.sim.SimFaults.Mutation;
import io.tributary.quorum.raft.sim.SimFaults.Profile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Raft simulator over many seeds. {@code -Dtributary.raft.seed=N} replays one seed (with the
 * fault profile that seed gets in the full run, or {@code -Dtributary.raft.profile=WIPE_HEAVY} etc.);
 * {@code -Dtributary.raft.seeds=N} sets how many consecutive seeds run (from
 * {@code -Dtributary.raft.firstSeed}, default 1).
 */
@Tag("system")
class RaftSimulationTest {

    private static final Logger log = LoggerFactory.getLogger(RaftSimulationTest.class);

    /** Seeds take turns at the fault profiles. */
    private static Profile profileFor(long seed) {
        return switch ((int) (seed % 4)) {
            case 0 -> Profile.CRASH_HEAVY;
            case 1 -> Profile.STANDARD;
            case 2 -> Profile.LATE_JOINER;
            default -> Profile.WIPE_HEAVY;
        };
    }

    @Test
    void safetyAndLivenessHoldForEverySeed() {
        String replay = System.getProperty("tributary.raft.seed");
        long first = replay != null ? Long.parseLong(replay) : Long.getLong("tributary.raft.firstSeed", 1);
        long count = replay != null ? 1 : Long.getLong("tributary.raft.seeds", 2_000);
        String forcedProfile = System.getProperty("tributary.raft.profile");
        long startNs = System.nanoTime();
        long events = 0;
        long committed = 0;
        long created = 0;
        long installed = 0;
        long chunks = 0;
        long wipes = 0;
        long handOvers = 0;
        for (long seed = first; seed < first + count; seed++) {
            Profile profile = forcedProfile != null ? Profile.valueOf(forcedProfile) : profileFor(seed);
            try {
                RaftSimulation.Result result = new RaftSimulation(seed, Mutation.NONE, profile).run();
                events += result.events();
                committed += result.committedEntries();
                created += result.snapshotsCreated();
                installed += result.snapshotsInstalled();
                chunks += result.snapshotChunks();
                wipes += result.wipes();
                handOvers += result.handOvers();
            } catch (RuntimeException | AssertionError e) {
                fail("Raft simulation failed for seed " + seed + " (" + profile + "; replay with -Dtributary.raft.seed="
                        + seed + (forcedProfile != null ? " -Dtributary.raft.profile=" + profile : "") + "): "
                        + e.getMessage(), e);
            }
        }
        log.info("Raft simulation: {} seeds from {} in {} ms, {} events, {} entries committed, {} snapshots created, "
                        + "{} installed from a leader in {} chunks, {} disk wipes, {} clean leader hand-overs", count, first,
                (System.nanoTime() - startNs) / 1_000_000, events, committed, created, installed, chunks, wipes,
                handOvers);
        if (count >= 100) {
            assertTrue(installed > 0 && chunks > installed, "snapshots must travel, in several chunks: " + installed
                    + " installed from " + chunks + " chunks");
        }
    }

    /** A node that was down the whole fault phase joins when it heals, behind the leader's log start. */
    @Test
    void aNodeDownTheWholeTimeCatchesUpThroughASnapshot() {
        for (long seed = 1; seed <= 20; seed++) {
            RaftSimulation.Result result = new RaftSimulation(seed, Mutation.NONE, Profile.LATE_JOINER).run();
            assertTrue(result.lateJoinerInstalls() > 0, "seed " + seed + ": the late joiner caught up without a "
                    + "snapshot: " + result);
        }
    }

    /**
     * The simulator is only worth something if it catches broken rules: voters that forget whom they
     * voted for (the vote is not persisted) must, for some seed, elect two leaders in one epoch or
     * lose a committed entry.
     */
    @Test
    void catchesVotersThatForgetTheirVote() {
        List<String> violations = firstViolation(Mutation.FORGET_VOTES, Profile.CRASH_HEAVY);
        log.info("Forgotten votes were caught: {}", violations);
        assertTrue(!violations.isEmpty(), "no seed caught voters that forget their votes");
    }

    /**
     * Likewise for voters that lose their disk and vote again at once, with an empty log and no memory
     * of their votes, instead of catching up first.
     */
    @Test
    void catchesWipedVotersThatVoteBeforeCatchingUp() {
        List<String> violations = firstViolation(Mutation.IGNORE_CATCH_UP, Profile.WIPE_HEAVY);
        log.info("Wiped voters voting before catching up were caught: {}", violations);
        assertTrue(!violations.isEmpty(), "no seed caught wiped voters that vote before catching up");
    }

    private static List<String> firstViolation(Mutation mutation, Profile profile) {
        List<String> violations = new ArrayList<>();
        for (long seed = 1; seed <= 2_000 && violations.isEmpty(); seed++) {
            try {
                new RaftSimulation(seed, mutation, profile).run();
            } catch (Invariants.InvariantViolation | IllegalStateException e) {
                // An IllegalStateException is the core's own safety check (committed entries diverge).
                violations.add("seed " + seed + ": " + e.getMessage());
            }
        }
        return violations;
    }
}
