package io.tributary.quorum.raft.sim;

import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.Snapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raft's safety properties, checked by the simulator after every event: at most one leader per
 * epoch; epochs and high watermarks never go backwards; a committed entry is never changed or lost
 * (every leader's log holds all of them, its snapshot standing for the prefix it replaced); logs match
 * (same offset and epoch means same prefix). Snapshots are checked whenever a state machine loads
 * one: the state it holds must be exactly the fold of the committed prefix it covers.
 */
final class Invariants {

    private final Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
    private final Map<Long, LogEntry> committed = new HashMap<>();
    /**
     * For each committed offset, the lowest epoch in which a node applied it. The entry was committed
     * in that epoch or earlier, so every leader of a later epoch must have it (leader completeness);
     * a deposed leader of an older epoch may not.
     */
    private final Map<Long, Integer> committedByEpoch = new HashMap<>();

    void check(List<SimNode> nodes) {
        for (SimNode node : nodes) {
            if (!node.alive) {
                continue;
            }
            int epoch = node.core.epoch();
            require(epoch >= node.lastEpoch, "node " + node.id + " went back from epoch " + node.lastEpoch + " to "
                    + epoch);
            node.lastEpoch = epoch;
            long hw = node.core.highWatermark();
            require(hw >= node.lastHighWatermark, "node " + node.id + " high watermark went back from "
                    + node.lastHighWatermark + " to " + hw);
            node.lastHighWatermark = hw;
            if (node.core.isLeader()) {
                Integer previous = leaderOfEpoch.putIfAbsent(epoch, node.id);
                require(previous == null || previous == node.id, "two leaders in epoch " + epoch + ": " + previous
                        + " and " + node.id);
                checkLeaderHasCommitted(node);
            }
        }
    }

    /**
     * The durable epoch never goes back either (an epoch only in memory may be lost in a crash: the
     * node sent nothing that depends on it).
     */
    void checkPersisted(SimNode node, int previousEpoch) {
        require(node.persisted.epoch() >= previousEpoch, "node " + node.id + " persisted epoch "
                + node.persisted.epoch() + " after " + previousEpoch);
    }

    /** Entries a node applied must match what the cluster committed at those offsets. */
    void recordApplied(SimNode node, List<LogEntry> entries) {
        for (LogEntry entry : entries) {
            long expectedOffset = node.applied.size();
            require(entry.offset() == expectedOffset, "node " + node.id + " applied offset " + entry.offset()
                    + " after " + (expectedOffset - 1));
            node.applied.add(entry);
            checkCommitted(node, entry);
        }
    }

    /**
     * A snapshot a node's state machine loads replaces its state: it must hold exactly the committed
     * entries below its end offset, the last of its epoch.
     */
    void recordSnapshotLoaded(SimNode node, Snapshot snapshot) {
        List<LogEntry> state = SimStateMachine.decode(snapshot.data());
        require(state.size() == snapshot.id().offset(), "node " + node.id + " loaded snapshot " + snapshot.id()
                + " holding " + state.size() + " entries");
        LogEntry last = state.get(state.size() - 1);
        require(last.epoch() == snapshot.id().epoch(), "node " + node.id + " loaded snapshot " + snapshot.id()
                + " whose last entry is " + last);
        require(snapshot.id().offset() >= node.applied.size(), "node " + node.id + " loaded snapshot "
                + snapshot.id() + " after applying " + node.applied.size() + " entries");
        for (int offset = 0; offset < state.size(); offset++) {
            require(state.get(offset).offset() == offset, "snapshot " + snapshot.id() + " loaded by node " + node.id
                    + " holds " + state.get(offset) + " at position " + offset);
            checkCommitted(node, state.get(offset));
        }
        node.applied.clear();
        node.applied.addAll(state);
    }

    private void checkCommitted(SimNode node, LogEntry entry) {
        LogEntry known = committed.putIfAbsent(entry.offset(), entry);
        require(known == null || known.equals(entry), "committed entry " + entry.offset() + " changed: "
                + known + " then " + entry + " on node " + node.id);
        committedByEpoch.merge(entry.offset(), node.core.epoch(), Math::min);
    }

    private void checkLeaderHasCommitted(SimNode leader) {
        int leaderEpoch = leader.core.epoch();
        for (Map.Entry<Long, LogEntry> entry : committed.entrySet()) {
            if (committedByEpoch.get(entry.getKey()) >= leaderEpoch) {
                continue;
            }
            LogEntry mine = leader.log.entryAt(entry.getKey());
            require(entry.getValue().equals(mine), "leader " + leader.id + " of epoch " + leader.core.epoch()
                    + " lacks committed entry " + entry.getValue() + " (has " + mine + ")");
        }
    }

    /** Log matching: two logs with an entry of the same offset and epoch are identical up to it. */
    void checkLogMatching(List<SimNode> nodes) {
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = i + 1; j < nodes.size(); j++) {
                checkPair(nodes.get(i), nodes.get(j));
            }
        }
    }

    private void checkPair(SimNode a, SimNode b) {
        long end = Math.min(a.log.endOffset(), b.log.endOffset());
        long matchAt = -1;
        for (long offset = end - 1; offset >= 0; offset--) {
            if (a.log.entryAt(offset).epoch() == b.log.entryAt(offset).epoch()) {
                matchAt = offset;
                break;
            }
        }
        for (long offset = 0; offset <= matchAt; offset++) {
            require(a.log.entryAt(offset).equals(b.log.entryAt(offset)), "logs of " + a.id + " and " + b.id
                    + " agree on the epoch at " + matchAt + " but differ at " + offset);
        }
    }

    int committedCount() {
        return committed.size();
    }

    private static void require(boolean condition, String violation) {
        if (!condition) {
            throw new InvariantViolation(violation);
        }
    }

    /** A safety property does not hold. */
    static final class InvariantViolation extends RuntimeException {
        InvariantViolation(String message) {
            super(message);
        }
    }
}
