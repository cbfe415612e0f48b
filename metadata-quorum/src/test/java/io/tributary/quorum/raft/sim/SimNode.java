package io.tributary.quorum.raft.sim;

import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.RaftConfig;
import io.tributary.quorum.raft.RaftCore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated node: its Raft core plus what survives a crash (the simulated disk log and the
 * persisted election state). {@code incarnation} grows on every restart so events scheduled for an
 * earlier life are dropped.
 */
final class SimNode {

    final int id;
    final RaftConfig config;
    final SimRaftLog log = new SimRaftLog();
    /** Fault injection for the simulator's own test: persist the election state without the vote. */
    final boolean forgetsVotes;
    ElectionState persisted = ElectionState.initial();
    RaftCore core;
    boolean alive;
    int incarnation;
    boolean driverScheduled;
    /** Entries this incarnation applied, in order (checked against the cluster's committed log). */
    final List<LogEntry> applied = new ArrayList<>();
    long lastHighWatermark;
    /** The epoch this life last had (epochs never go back within a life). */
    int lastEpoch;

    SimNode(int id, RaftConfig config, boolean forgetsVotes) {
        this.id = id;
        this.config = config;
        this.forgetsVotes = forgetsVotes;
    }

    void start(long nowMs, long seed) {
        core = new RaftCore(config, log, persisted, new Random(seed), nowMs);
        alive = true;
        incarnation++;
        applied.clear();
        lastHighWatermark = 0;
        lastEpoch = persisted.epoch();
        driverScheduled = false;
    }

    void crash() {
        alive = false;
        log.crash();
        core = null;
    }

    void persist(ElectionState state) {
        persisted = forgetsVotes ? new ElectionState(state.epoch(), ElectionState.NONE, state.leaderId()) : state;
    }
}
