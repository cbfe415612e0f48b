package io.tributary.quorum.raft.sim;

import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftConfig;
import io.tributary.quorum.raft.RaftMessage;
import io.tributary.quorum.raft.Ready;
import io.tributary.quorum.raft.sim.SimFaults.Mutation;
import io.tributary.quorum.raft.sim.SimFaults.Profile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * One seeded run of a simulated quorum: voters and observers exchange messages over a
 * {@link SimNetwork}, a simulated driver per node executes each {@link Ready} a little later (so a
 * crash can lose what was not yet flushed or sent), and faults — crashes, disk wipes, restarts,
 * partitions, message loss, duplication and reordering — happen at random during a fault phase.
 * Every node's state machine snapshots every few entries it applies (handing the snapshot to its core
 * a little later, as a state machine on its own thread would), so log prefixes are deleted and
 * lagging, restarted, wiped or late nodes catch up through snapshot transfers. {@link Invariants}
 * are checked after every event; afterwards every fault heals and the cluster must elect a leader
 * and commit a new entry on every node within a bound (liveness).
 *
 * <p>A wiped voter restarts with {@link ElectionState#rejoining()}. At most one voter is catching up
 * after a wipe at any time: with more, a quorum could lose the voters it needs to elect anyone (the
 * point of the rule), and liveness would fail for a reason that is not a bug.
 *
 * <p>Everything random comes from the seed, and time is simulated, so a seed replays exactly.
 */
public final class RaftSimulation {

    static final long ELECTION_TIMEOUT_MS = 150;
    static final long FETCH_TIMEOUT_MS = 300;
    static final long FETCH_MAX_WAIT_MS = 100;
    static final long TICK_MS = 10;
    static final long FAULT_PHASE_MS = 6_000;
    /**
     * Generous: after the heavy profiles (one-way delays up to 80 ms, fetches of a single entry) the
     * leader may hold dozens of entries it could not commit during the faults; laggards drain them one
     * round trip per entry, and are sent to a fresh snapshot whenever the leader snapshots past them.
     */
    static final long LIVENESS_BOUND_MS = 10_000;

    private final long seed;
    private final Random random;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Set<Integer> voters = new HashSet<>();
    private final SimNetwork network;
    private final Invariants invariants = new Invariants();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Profile profile;
    /** The node down from the start until the faults heal, or null. */
    private final SimNode lateJoiner;
    private long nowMs;
    private long eventSequence;
    private long eventsRun;
    private int nextValue;
    private int snapshotsCreated;
    private int snapshotChunks;
    private int wipes;
    private int gracefulHandOvers;

    private record Event(long atMs, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            return atMs != other.atMs ? Long.compare(atMs, other.atMs) : Long.compare(sequence, other.sequence);
        }
    }

    /**
     * The outcome of a run, for the report.
     *
     * @param snapshotsInstalled snapshots nodes downloaded from a leader and installed
     * @param snapshotChunks     snapshot chunks leaders sent
     * @param lateJoinerInstalls snapshots the late joiner installed, or -1 without one
     * @param handOvers          leaders that stopped cleanly, handing over with EndQuorumEpoch
     */
    public record Result(long seed, long events, int committedEntries, long simulatedMs, int snapshotsCreated,
                         int snapshotsInstalled, int snapshotChunks, int wipes, int lateJoinerInstalls,
                         int handOvers) {
    }

    public RaftSimulation(long seed, Mutation mutation, Profile profile) {
        this.seed = seed;
        this.random = new Random(seed);
        this.profile = profile;
        int voterCount = random.nextBoolean() ? 3 : 5;
        int observerCount = random.nextInt(3);
        for (int id = 1; id <= voterCount; id++) {
            voters.add(id);
        }
        for (int id = 1; id <= voterCount + observerCount; id++) {
            // Small chunks, so transfers take several round trips; a leader may replace its snapshot midway.
            RaftConfig config = new RaftConfig(id, voters, ELECTION_TIMEOUT_MS, FETCH_TIMEOUT_MS, FETCH_MAX_WAIT_MS,
                    1 + random.nextInt(20), 256 + random.nextInt(1024));
            boolean voter = voters.contains(id);
            nodes.add(new SimNode(id, config, mutation == Mutation.FORGET_VOTES && voter,
                    mutation == Mutation.IGNORE_CATCH_UP && voter, 3 + random.nextInt(18)));
        }
        lateJoiner = profile == Profile.LATE_JOINER ? nodes.get(random.nextInt(nodes.size())) : null;
        boolean heavy = profile == Profile.CRASH_HEAVY || profile == Profile.WIPE_HEAVY;
        network = heavy
                ? new SimNetwork(random, 0.05, 0.3, 80) // late duplicates of vote requests reach restarted voters
                : new SimNetwork(random, random.nextDouble() * 0.1, random.nextDouble() * 0.1, 1 + random.nextInt(30));
    }

    /**
     * Runs the fault phase, then heals everything and checks liveness.
     *
     * @throws Invariants.InvariantViolation when a safety property breaks
     * @throws AssertionError when the healed cluster does not make progress in time
     */
    public Result run() {
        for (SimNode node : nodes) {
            long startSeed = random.nextLong();
            if (node != lateJoiner) {
                node.start(0, startSeed);
                scheduleTick(node, random.nextInt((int) TICK_MS));
            }
        }
        scheduleFaults();
        scheduleAppends(FAULT_PHASE_MS);
        runUntil(FAULT_PHASE_MS);
        heal();
        checkLiveness();
        invariants.checkLogMatching(liveNodes());
        int installs = nodes.stream().mapToInt(SimNode::snapshotInstalls).sum();
        return new Result(seed, eventsRun, invariants.committedCount(), nowMs, snapshotsCreated, installs,
                snapshotChunks, wipes, lateJoiner == null ? -1 : lateJoiner.snapshotInstalls(), gracefulHandOvers);
    }

    private void runUntil(long endMs) {
        while (!queue.isEmpty() && queue.peek().atMs() <= endMs) {
            Event event = queue.poll();
            nowMs = event.atMs();
            event.action().run();
            eventsRun++;
            invariants.check(nodes);
            if (eventsRun % 200 == 0) {
                invariants.checkLogMatching(liveNodes());
            }
        }
        nowMs = Math.max(nowMs, endMs);
    }

    private void at(long atMs, Runnable action) {
        queue.add(new Event(atMs, eventSequence++, action));
    }

    /** Runs {@code action} on {@code node} only if it is still in the same life when the time comes. */
    private void onNode(SimNode node, long atMs, Runnable action) {
        int incarnation = node.incarnation;
        at(atMs, () -> {
            if (node.alive && node.incarnation == incarnation) {
                action.run();
                scheduleDriver(node);
            }
        });
    }

    private void scheduleTick(SimNode node, long atMs) {
        onNode(node, atMs, () -> {
            node.core.tick(nowMs);
            scheduleTick(node, nowMs + TICK_MS);
        });
    }

    /** The node's driver runs a moment later: persist, flush, then send, then apply. */
    private void scheduleDriver(SimNode node) {
        if (node.driverScheduled) {
            return;
        }
        node.driverScheduled = true;
        int incarnation = node.incarnation;
        at(nowMs + random.nextInt(3), () -> {
            if (!node.alive || node.incarnation != incarnation) {
                return;
            }
            node.driverScheduled = false;
            runDriver(node);
        });
    }

    /** With {@code -Dtributary.raft.trace=true}, every delivery, crash and restart is logged (for replaying a seed). */
    private static final boolean TRACE = Boolean.getBoolean("tributary.raft.trace");
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RaftSimulation.class);

    private void trace(String format, Object... args) {
        if (TRACE) {
            log.info("t={} " + format, prepend(nowMs, args));
        }
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private void runDriver(SimNode node) {
        for (int round = 0; round < 4; round++) {
            Ready ready = node.core.poll();
            if (ready.isEmpty()) {
                return;
            }
            boolean votedForAnother = false;
            if (ready.electionState() != null) {
                int previousEpoch = node.persisted.epoch();
                node.persist(ready.electionState());
                invariants.checkPersisted(node, previousEpoch);
                votedForAnother = ready.electionState().hasVoted() && ready.electionState().votedFor() != node.id;
            }
            if (ready.flushLog()) {
                node.log.flush();
                node.core.logFlushed(nowMs);
            }
            ready.messages().forEach(this::send);
            if (ready.snapshot() != null) {
                invariants.recordSnapshotLoaded(node, ready.snapshot());
            }
            invariants.recordApplied(node, ready.committed());
            maybeSnapshot(node, ready.committed().size());
            if (profile == Profile.CRASH_HEAVY && votedForAnother && random.nextBoolean()) {
                // Crash right after voting: the restarted voter meets the election's other candidates.
                long downForMs = 1 + random.nextInt(10);
                at(nowMs, () -> crash(node, downForMs));
                return;
            }
        }
        scheduleDriver(node);
    }

    /**
     * The state machine snapshots every few entries it applies: it serializes its state now and hands
     * it to the core a little later, as one running on its own thread would (by then the core may have
     * installed a newer snapshot from the leader).
     */
    private void maybeSnapshot(SimNode node, int appliedNow) {
        node.appliedSinceSnapshot += appliedNow;
        if (node.appliedSinceSnapshot < node.snapshotEveryEntries || node.applied.isEmpty()) {
            return;
        }
        node.appliedSinceSnapshot = 0;
        OffsetAndEpoch id = new OffsetAndEpoch(node.applied.size(), node.applied.get(node.applied.size() - 1).epoch());
        byte[] data = SimStateMachine.encode(node.applied);
        onNode(node, nowMs + random.nextInt(20), () -> {
            if (node.core.snapshotCreated(id, data, nowMs)) {
                snapshotsCreated++;
            }
        });
    }

    private void send(RaftMessage message) {
        if (message instanceof RaftMessage.FetchSnapshotResponse chunk
                && chunk.error() == RaftMessage.FetchError.NONE) {
            snapshotChunks++;
        }
        int copies = network.copies(message);
        for (int i = 0; i < copies; i++) {
            SimNode target = nodes.get(message.to() - 1);
            long deliverAt = nowMs + network.delayMs();
            onNode(target, deliverAt, () -> {
                if (!network.isCut(message.from(), message.to())) {
                    trace("deliver {} -> {} role before {}@{} end {} hw {}", message, target.id, target.core.roleName(),
                            target.core.epoch(), target.log.endOffset(), target.core.highWatermark());
                    target.core.step(message, nowMs);
                }
            });
        }
    }

    private void scheduleAppends(long untilMs) {
        for (long t = 50; t < untilMs; t += 5 + random.nextInt(60)) {
            at(t, this::appendOnLeader);
        }
    }

    private void appendOnLeader() {
        for (SimNode node : nodes) {
            if (node.alive && node.core.isLeader()) {
                node.core.append(ByteBuffer.allocate(4).putInt(nextValue++).array(), nowMs);
                scheduleDriver(node);
                return;
            }
        }
    }

    private void scheduleFaults() {
        if (profile == Profile.CRASH_HEAVY || profile == Profile.WIPE_HEAVY) {
            for (long t = 100; t < FAULT_PHASE_MS; t += 20 + random.nextInt(100)) {
                SimNode victim = nodes.get(random.nextInt(voters.size()));
                long downForMs = 1 + random.nextInt(40);
                boolean wipe = profile == Profile.WIPE_HEAVY && random.nextInt(3) == 0;
                at(t, () -> {
                    if (wipe) {
                        wipe(victim, downForMs);
                    } else {
                        crash(victim, downForMs);
                    }
                });
            }
            return;
        }
        // No wipes with a late joiner: a wiped voter refuses to vote until it caught up, which with the late
        // joiner down can leave too few voting voters to elect anyone until the faults heal.
        int kinds = profile == Profile.LATE_JOINER ? 3 : 4;
        for (long t = 200; t < FAULT_PHASE_MS; t += 100 + random.nextInt(700)) {
            int kind = random.nextInt(kinds);
            SimNode victim = nodes.get(random.nextInt(nodes.size()));
            long downForMs = 50 + random.nextInt(1_500);
            if (kind == 0) {
                boolean graceful = random.nextBoolean();
                at(t, () -> {
                    if (graceful) {
                        stop(victim, downForMs);
                    } else {
                        crash(victim, downForMs);
                    }
                });
            } else if (kind == 3) {
                at(t, () -> wipe(victim, downForMs));
            } else if (kind == 1) {
                at(t, () -> isolate(victim, downForMs));
            } else {
                Set<Integer> side = randomSide();
                at(t, () -> partition(side, downForMs));
            }
        }
    }

    /** A clean stop: a leader hands over (EndQuorumEpoch, sent before it goes), then the node is down. */
    private void stop(SimNode node, long downForMs) {
        if (node.alive && node.core.isLeader()) {
            node.core.handOverLeadership(nowMs);
            gracefulHandOvers++;
            runDriver(node);
        }
        crash(node, downForMs);
    }

    private void crash(SimNode node, long downForMs) {
        if (!node.alive) {
            return;
        }
        node.crash();
        trace("crash {} (log back to {})", node.id, node.log.endOffset());
        long seedForRestart = random.nextLong();
        at(nowMs + downForMs, () -> restart(node, seedForRestart));
    }

    /**
     * A crash that loses the whole disk. Skipped while another voter is still catching up after a wipe
     * (see the class comment), and for the late joiner before it joined.
     */
    private void wipe(SimNode node, long downForMs) {
        if (!node.alive || (voters.contains(node.id) && nodes.stream().anyMatch(SimNode::isCatchingUp))) {
            return;
        }
        node.wipe();
        wipes++;
        trace("wipe {}", node.id);
        long seedForRestart = random.nextLong();
        at(nowMs + downForMs, () -> restart(node, seedForRestart));
    }

    private void restart(SimNode node, long seedForRestart) {
        if (node.alive) {
            return;
        }
        node.start(nowMs, seedForRestart);
        trace("restart {} as {}@{}", node.id, node.core.roleName(), node.core.epoch());
        scheduleTick(node, nowMs + 1);
    }

    private void isolate(SimNode node, long forMs) {
        partition(Set.of(node.id), forMs);
    }

    private void partition(Set<Integer> side, long forMs) {
        network.partition(side, allIds());
        at(nowMs + forMs, network::reconnect);
    }

    private Set<Integer> randomSide() {
        Set<Integer> side = new HashSet<>();
        for (SimNode node : nodes) {
            if (random.nextBoolean()) {
                side.add(node.id);
            }
        }
        return side;
    }

    private Set<Integer> allIds() {
        Set<Integer> ids = new HashSet<>();
        nodes.forEach(node -> ids.add(node.id));
        return ids;
    }

    private void heal() {
        network.heal();
        for (SimNode node : nodes) {
            if (!node.alive) {
                restart(node, random.nextLong());
            }
        }
    }

    /** After healing, some leader must commit a fresh entry on every node within the bound. */
    private void checkLiveness() {
        long deadline = nowMs + LIVENESS_BOUND_MS;
        int marker = -1;
        long markerOffset = -1;
        while (nowMs < deadline) {
            runUntil(nowMs + 50);
            SimNode leader = nodes.stream().filter(n -> n.alive && n.core.isLeader()).findFirst().orElse(null);
            if (leader == null) {
                continue;
            }
            if (markerOffset < 0 || !isMarker(leader.log.entryAt(markerOffset), marker)) {
                // First try, or an uncommitted marker a deposed leader had was legitimately dropped.
                marker = nextValue++;
                markerOffset = leader.core.append(ByteBuffer.allocate(4).putInt(marker).array(), nowMs);
                scheduleDriver(leader);
            }
            if (allApplied(markerOffset, marker)) {
                return;
            }
        }
        throw new AssertionError("seed " + seed + ": no leader committed a new entry on every node within "
                + LIVENESS_BOUND_MS + " ms after the faults healed; roles " + roles());
    }

    private boolean allApplied(long offset, int marker) {
        for (SimNode node : nodes) {
            if (node.applied.size() <= offset) {
                return false;
            }
            if (!isMarker(node.applied.get((int) offset), marker)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isMarker(LogEntry entry, int marker) {
        return entry != null && !entry.control() && ByteBuffer.wrap(entry.data()).getInt() == marker;
    }

    private List<SimNode> liveNodes() {
        return nodes.stream().filter(node -> node.alive).toList();
    }

    private String roles() {
        StringBuilder text = new StringBuilder();
        for (SimNode node : nodes) {
            text.append(node.id).append('=');
            if (node.alive) {
                text.append(node.core.roleName()).append('@').append(node.core.epoch()).append("(start ")
                        .append(node.log.startOffset()).append(", end ")
                        .append(node.log.endOffset()).append(", flushed ").append(node.log.flushedEndOffset())
                        .append(", hw ").append(node.core.highWatermark()).append(", applied ")
                        .append(node.applied.size()).append(')');
            } else {
                text.append("down");
            }
            text.append(' ');
        }
        return text.toString().trim();
    }
}
