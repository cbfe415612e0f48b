package io.tributary.quorum.raft.sim;

/**
 * What a simulation run does to its cluster: a fault profile, and optionally a mutation of the rules
 * under test (to show the simulator catches it).
 */
final class SimFaults {

    /** How faults are drawn during the fault phase. */
    enum Profile {
        /** Crashes, disk wipes, isolated nodes and partitions, a few hundred ms apart. */
        STANDARD,
        /** Frequent voter crashes with quick restarts, and late duplicate messages: exposes lost votes. */
        CRASH_HEAVY,
        /** Frequent voter disk wipes and crashes with quick restarts: exposes voters that vote before catching up. */
        WIPE_HEAVY,
        /** STANDARD without wipes, and one node down from the start until the faults heal: it catches up by snapshot. */
        LATE_JOINER
    }

    /** A rule broken on purpose. */
    enum Mutation {
        NONE,
        /** Voters persist their election state without the vote. */
        FORGET_VOTES,
        /** A voter whose disk was wiped restarts as a fresh node, voting at once. */
        IGNORE_CATCH_UP
    }

    private SimFaults() {
    }
}
