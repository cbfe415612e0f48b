package io.tributary.quorum.runtime;

import io.tributary.common.Time;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.QuorumInfo;
import io.tributary.quorum.raft.RaftConfig;
import io.tributary.quorum.raft.RaftCore;
import io.tributary.quorum.raft.RaftMessage;
import io.tributary.quorum.raft.RaftStatus;
import io.tributary.quorum.raft.Ready;
import io.tributary.quorum.raft.Snapshot;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node's {@link RaftCore} on a single thread, the only thread that touches the core, its
 * log and its quorum-state file. Each turn handles one event (a message, an append, or time passing),
 * then executes the core's {@link Ready} in the order safety needs: persist the election state and
 * flush the log, then send, then hand a snapshot to load and then committed entries to the listener.
 *
 * <p>Other threads interact only through {@link #deliver}, {@link #append} and
 * {@link #snapshotCreated}, which enqueue.
 */
public final class RaftDriver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftDriver.class);
    private static final long TICK_MS = 10;
    private static final int MAX_EVENTS_PER_TURN = 10_000;
    /** How often {@link #status()} is retaken while the leader and epoch stay the same. */
    static final long STATUS_INTERVAL_MS = 100;

    /** Sends messages to other nodes; may drop them (Raft retries). Called on the driver thread. */
    public interface Transport {
        void send(RaftMessage message);
    }

    /** Receives committed entries in offset order, and snapshots to load, on the driver thread. */
    public interface Listener {
        void onCommit(List<LogEntry> entries);

        /**
         * Replaces the state machine's state by snapshot {@code id} (covering every entry below
         * {@code id.offset()}); the next committed entries continue it. Called at start-up for the
         * snapshot on disk, before any entry, and whenever this node installs one from the leader.
         */
        void onSnapshot(OffsetAndEpoch id, byte[] data);
    }

    /** An append; {@code expectedEpoch} is -1 for any epoch. */
    private record Append(byte[] data, int expectedEpoch, CompletableFuture<Long> committed) {
    }

    /** This node's leadership: its epoch, and the offset of the control entry that started it. */
    public record Leadership(int epoch, long epochStartOffset) {
    }

    private record LeadershipQuery(CompletableFuture<Leadership> answer) {
    }

    /** Asks the loop to stop after this turn. */
    private enum Stop { INSTANCE }

    private record Describe(CompletableFuture<QuorumInfo> answer) {
    }

    private record CreateSnapshot(OffsetAndEpoch id, byte[] data, CompletableFuture<Boolean> stored) {
    }

    private final RaftCore core;
    private final FileRaftLog raftLog;
    private final FileQuorumStateStore store;
    private final Transport transport;
    private final Listener listener;
    private final Time time;
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final TreeMap<Long, CompletableFuture<Long>> awaitingCommit = new TreeMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean stopping;
    private volatile int knownLeader = ElectionState.NONE;
    private volatile int knownEpoch;
    private volatile RaftStatus status;
    private long statusTakenMs;

    public RaftDriver(RaftConfig config, FileRaftLog raftLog, FileQuorumStateStore store, Transport transport,
                      Listener listener, Time time) {
        this.raftLog = raftLog;
        this.store = store;
        this.transport = transport;
        this.listener = listener;
        this.time = time;
        this.core = new RaftCore(config, raftLog, store.read(), new Random(), time.hiResMilliseconds());
        this.status = core.status();
        this.statusTakenMs = time.hiResMilliseconds();
        this.thread = new Thread(this::run, "raft-driver-" + config.nodeId());
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Hands a message from the network to the core (any thread). */
    public void deliver(RaftMessage message) {
        events.add(message);
    }

    /**
     * Appends {@code data} if this node leads; the future completes with its offset once committed,
     * or fails with {@link NotLeaderOrFollowerException} when this node is not (or stops being) the leader.
     */
    public CompletableFuture<Long> append(byte[] data) {
        return append(data, -1);
    }

    /**
     * Appends {@code data} only if this node leads epoch {@code expectedEpoch}: an operation computed
     * against one epoch's state must not land in a later epoch, whose leader may know more. Completes
     * as {@link #append(byte[])}.
     */
    public CompletableFuture<Long> append(byte[] data, int expectedEpoch) {
        CompletableFuture<Long> committed = new CompletableFuture<>();
        events.add(new Append(data, expectedEpoch, committed));
        if (!running) {
            failQueued();
        }
        return committed;
    }

    /** The quorum as this node sees it (complete on the leader), computed on the driver thread. */
    public CompletableFuture<QuorumInfo> describeQuorum() {
        CompletableFuture<QuorumInfo> answer = new CompletableFuture<>();
        events.add(new Describe(answer));
        if (!running) {
            failQueued();
        }
        return answer;
    }

    /**
     * This node's leadership as of the driver's next turn; fails with {@link NotLeaderOrFollowerException}
     * when it does not lead.
     */
    public CompletableFuture<Leadership> leadership() {
        CompletableFuture<Leadership> answer = new CompletableFuture<>();
        events.add(new LeadershipQuery(answer));
        if (!running) {
            failQueued();
        }
        return answer;
    }

    /**
     * Hands the core a snapshot the state machine made: its state after applying every entry below
     * {@code id.offset()} (which it must have received through {@link Listener#onCommit}), the last of
     * epoch {@code id.epoch()}. When to snapshot is the state machine's choice (every so many records
     * or bytes). The future completes with true once the snapshot is durable and the log prefix it
     * covers deleted, with false when a newer snapshot already covers it, and fails with
     * {@link IllegalArgumentException} for an offset that was not handed out as committed.
     */
    public CompletableFuture<Boolean> snapshotCreated(OffsetAndEpoch id, byte[] data) {
        CompletableFuture<Boolean> stored = new CompletableFuture<>();
        events.add(new CreateSnapshot(id, data, stored));
        if (!running) {
            failQueued();
        }
        return stored;
    }

    public int nodeId() {
        return core.nodeId();
    }

    /** The leader this node knows of, or -1 (any thread). */
    public int leaderId() {
        return knownLeader;
    }

    public int epoch() {
        return knownEpoch;
    }

    /**
     * The core's state as of a recent turn (any thread, never blocks): retaken at the end of a turn
     * when the leader or epoch changed, else once {@value #STATUS_INTERVAL_MS} ms have passed since
     * the last (the loop turns at least every 10 ms, so it is never much staler); once the driver
     * stopped, without leadership.
     */
    public RaftStatus status() {
        return status;
    }

    /**
     * The loop. Raft's timers run on the monotonic clock (a wall-clock step must not stall or fire
     * elections). Every queued event is handled before time is allowed to pass, so after a stall
     * (GC, slow fsync) answers already received count before a timeout can fire.
     */
    private void run() {
        long nextTickMs = time.hiResMilliseconds();
        try {
            while (running) {
                Object event = events.poll(Math.max(0, nextTickMs - time.hiResMilliseconds()), TimeUnit.MILLISECONDS);
                long nowMs = time.hiResMilliseconds();
                for (int handled = 0; event != null && handled < MAX_EVENTS_PER_TURN; handled++) {
                    handle(event, nowMs);
                    event = events.poll();
                }
                if (event != null) {
                    handle(event, nowMs);
                }
                if (nowMs >= nextTickMs) {
                    core.tick(nowMs);
                    nextTickMs = nowMs + TICK_MS;
                }
                executeReady(nowMs);
                maybePublishStatus(nowMs);
                if (stopping) {
                    running = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // A failed disk write or a broken invariant: stop rather than act on a state that was not
            // persisted. The node rejoins after a restart.
            log.error("Raft driver of node {} stopped after an unexpected error", core.nodeId(), e);
        } finally {
            // Only work that cannot fail here: after an error the core may be broken, and the waiting
            // futures must complete whatever it does. The status is the last one published, stopped.
            running = false;
            knownLeader = ElectionState.NONE;
            failAwaiting("the Raft driver of node " + core.nodeId() + " stopped");
            failQueued();
            status = status.stopped();
        }
    }

    private void handle(Object event, long nowMs) {
        if (event instanceof RaftMessage message) {
            core.step(message, nowMs);
        } else if (event instanceof Append append) {
            handleAppend(append, nowMs);
        } else if (event instanceof Describe describe) {
            describe.answer().complete(core.describe());
        } else if (event instanceof Stop) {
            // A leader hands over (EndQuorumEpoch) before the node goes; the Ready of this turn sends it.
            core.handOverLeadership(nowMs);
            stopping = true;
        } else if (event instanceof LeadershipQuery query) {
            if (core.isLeader()) {
                query.answer().complete(new Leadership(core.epoch(), core.leaderEpochStartOffset()));
            } else {
                query.answer().completeExceptionally(notLeader());
            }
        } else if (event instanceof CreateSnapshot create) {
            handleSnapshotCreated(create, nowMs);
        }
    }

    private void handleSnapshotCreated(CreateSnapshot create, long nowMs) {
        try {
            create.stored().complete(core.snapshotCreated(create.id(), create.data(), nowMs));
        } catch (IllegalArgumentException e) {
            create.stored().completeExceptionally(e);
        }
    }

    /** Fails whatever is still queued; also called for events enqueued after the loop ended. */
    private void failQueued() {
        Object event;
        while ((event = events.poll()) != null) {
            if (event instanceof Append append) {
                append.committed().completeExceptionally(notLeader());
            } else if (event instanceof Describe describe) {
                describe.answer().completeExceptionally(new IllegalStateException("the Raft driver of node "
                        + core.nodeId() + " is stopped"));
            } else if (event instanceof LeadershipQuery query) {
                query.answer().completeExceptionally(notLeader());
            } else if (event instanceof CreateSnapshot create) {
                create.stored().completeExceptionally(new IllegalStateException("the Raft driver of node "
                        + core.nodeId() + " is stopped"));
            }
        }
    }

    private void handleAppend(Append append, long nowMs) {
        if (!core.isLeader() || (append.expectedEpoch() >= 0 && append.expectedEpoch() != core.epoch())) {
            append.committed().completeExceptionally(notLeader());
            return;
        }
        long offset = core.append(append.data(), nowMs);
        awaitingCommit.put(offset, append.committed());
    }

    private void executeReady(long nowMs) {
        for (int round = 0; round < 8; round++) {
            Ready ready = core.poll();
            if (ready.isEmpty()) {
                break;
            }
            if (ready.electionState() != null) {
                store.write(ready.electionState());
            }
            if (ready.flushLog()) {
                raftLog.flush();
                core.logFlushed(nowMs);
            }
            ready.messages().forEach(transport::send);
            if (ready.snapshot() != null) {
                loadSnapshot(ready.snapshot());
            }
            if (!ready.committed().isEmpty()) {
                listener.onCommit(ready.committed());
                completeCommitted(ready.committed().get(ready.committed().size() - 1).offset());
            }
        }
        int leader = core.leaderId();
        if (leader != knownLeader || core.epoch() != knownEpoch) {
            log.info("Node {}: epoch {}, leader {} ({})", core.nodeId(), core.epoch(), leader, core.roleName());
            knownLeader = leader;
            knownEpoch = core.epoch();
        }
        if (!core.isLeader() && !awaitingCommit.isEmpty()) {
            failAwaiting("node " + core.nodeId() + " is no longer the leader");
        }
    }

    private void maybePublishStatus(long nowMs) {
        RaftStatus last = status;
        if (nowMs - statusTakenMs >= STATUS_INTERVAL_MS || last.leaderId() != knownLeader
                || last.epoch() != knownEpoch) {
            status = core.status();
            statusTakenMs = nowMs;
        }
    }

    private void loadSnapshot(Snapshot snapshot) {
        log.info("Node {}: loading snapshot {} ({} bytes)", core.nodeId(), snapshot.id(), snapshot.data().length);
        listener.onSnapshot(snapshot.id(), snapshot.data());
    }

    private void completeCommitted(long lastCommittedOffset) {
        Iterator<Map.Entry<Long, CompletableFuture<Long>>> it = awaitingCommit.headMap(lastCommittedOffset, true)
                .entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, CompletableFuture<Long>> entry = it.next();
            entry.getValue().complete(entry.getKey());
            it.remove();
        }
    }

    private void failAwaiting(String why) {
        List<CompletableFuture<Long>> pending = new ArrayList<>(awaitingCommit.values());
        awaitingCommit.clear();
        pending.forEach(future -> future.completeExceptionally(new NotLeaderOrFollowerException(why
                + "; the entry may or may not be committed")));
    }

    private NotLeaderOrFollowerException notLeader() {
        return new NotLeaderOrFollowerException("node " + core.nodeId() + " is not the metadata leader; the leader is "
                + (knownLeader < 0 ? "unknown" : "node " + knownLeader));
    }

    /**
     * Stops the thread (a leader first hands over with EndQuorumEpoch, sent in its last turn) and
     * closes the log; the quorum-state file needs no closing. The thread is woken
     * by an event, not interrupted: an interrupt during a write would close the log's file channels.
     */
    @Override
    public void close() {
        events.add(Stop.INSTANCE);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Raft driver of node {} did not stop within 5 s; leaving its log open", core.nodeId());
            return;
        }
        raftLog.close();
    }
}
