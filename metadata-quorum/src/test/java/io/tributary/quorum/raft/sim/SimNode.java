package io.tributary.quorum.raft.sim;

import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.RaftConfig;
import io.tributary.quorum.raft.RaftCore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated node: its Raft core plus what survives a crash (the simulated disk log, with its
 * snapshot, and the persisted election state) and its state machine (the list of applied entries).
 * {@code incarnation} grows on every restart so events scheduled for an earlier life are dropped.
 */
final class SimNode {

    final int id;
    final RaftConfig config;
    /** Fault injection for the simulator's own test: persist the election state without the vote. */
    final boolean forgetsVotes;
    /** Fault injection: after a disk wipe, restart as a fresh node instead of one that must catch up first. */
    final boolean ignoresCatchUp;
    /** The state machine snapshots after applying this many entries. */
    final int snapshotEveryEntries;
    SimRaftLog log = new SimRaftLog();
    ElectionState persisted = ElectionState.initial();
    RaftCore core;
    boolean alive;
    int incarnation;
    boolean driverScheduled;
    /**
     * The state machine: every entry this incarnation applied or loaded from a snapshot, in order
     * (checked against the cluster's committed log).
     */
    final List<LogEntry> applied = new ArrayList<>();
    int appliedSinceSnapshot;
    long lastHighWatermark;
    /** The epoch this life last had (epochs never go back within a life). */
    int lastEpoch;
    /** Snapshots installed from a leader by the logs that disk wipes threw away. */
    private int installsOfWipedLogs;

    SimNode(int id, RaftConfig config, boolean forgetsVotes, boolean ignoresCatchUp, int snapshotEveryEntries) {
        this.id = id;
        this.config = config;
        this.forgetsVotes = forgetsVotes;
        this.ignoresCatchUp = ignoresCatchUp;
        this.snapshotEveryEntries = snapshotEveryEntries;
    }

    void start(long nowMs, long seed) {
        core = new RaftCore(config, log, persisted, new Random(seed), nowMs);
        alive = true;
        incarnation++;
        applied.clear();
        appliedSinceSnapshot = 0;
        lastHighWatermark = 0;
        lastEpoch = persisted.epoch();
        driverScheduled = false;
    }

    void crash() {
        alive = false;
        log.crash();
        core = null;
    }

    /** A crash that loses the whole disk: log, snapshots and quorum-state. */
    void wipe() {
        crash();
        installsOfWipedLogs += log.installs();
        log = new SimRaftLog();
        boolean mustCatchUp = config.isVoter() && !ignoresCatchUp;
        persisted = mustCatchUp ? ElectionState.rejoining() : ElectionState.initial();
    }

    /** Whether this voter lost its disk and has not caught up yet (as far as its own state says). */
    boolean isCatchingUp() {
        return alive ? core.isCatchingUp() : persisted.catchingUp();
    }

    int snapshotInstalls() {
        return installsOfWipedLogs + log.installs();
    }

    void persist(ElectionState state) {
        persisted = forgetsVotes ? new ElectionState(state.epoch(), ElectionState.NONE, state.leaderId(),
                state.catchingUp()) : state;
    }
}
