package io.tributary.quorum.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.Time;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.OffsetAndEpoch;
import io.tributary.quorum.raft.RaftConfig;
import io.tributary.quorum.raft.RaftStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three drivers in one JVM with real log and quorum-state files, wired by a direct in-memory
 * transport: elections, commits, a leader stopping, a node restarting from its files, snapshots.
 */
@Tag("integration")
class RaftDriverIntegrationTest {

    private static final Set<Integer> VOTERS = Set.of(1, 2, 3);

    @TempDir
    Path dir;
    private final Map<Integer, RaftDriver> drivers = new HashMap<>();
    private final Map<Integer, List<String>> applied = new HashMap<>();
    private final Map<Integer, StateMachine> stateMachines = new HashMap<>();

    /** The values committed, in order; a snapshot is the values joined by newlines. */
    private static final class StateMachine implements RaftDriver.Listener {
        final List<String> values = new CopyOnWriteArrayList<>();
        /** What the driver called, in order: "commit" or "snapshot". */
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile OffsetAndEpoch appliedEnd = new OffsetAndEpoch(0, 0);

        @Override
        public void onCommit(List<LogEntry> entries) {
            for (LogEntry entry : entries) {
                if (!entry.control()) {
                    values.add(new String(entry.data(), StandardCharsets.UTF_8));
                }
            }
            LogEntry last = entries.get(entries.size() - 1);
            appliedEnd = new OffsetAndEpoch(last.offset() + 1, last.epoch());
            calls.add("commit");
        }

        @Override
        public void onSnapshot(OffsetAndEpoch id, byte[] data) {
            String text = new String(data, StandardCharsets.UTF_8);
            values.clear();
            if (!text.isEmpty()) {
                values.addAll(List.of(text.split("\n")));
            }
            appliedEnd = id;
            calls.add("snapshot");
        }

        byte[] snapshot() {
            return String.join("\n", values).getBytes(StandardCharsets.UTF_8);
        }
    }

    private void start(int id) {
        Path nodeDir = dir.resolve("node-" + id);
        StateMachine listener = new StateMachine();
        stateMachines.put(id, listener);
        applied.put(id, listener.values);
        RaftDriver.Transport transport = message -> {
            RaftDriver target = drivers.get(message.to());
            if (target != null) {
                target.deliver(message);
            }
        };
        RaftDriver driver = new RaftDriver(new RaftConfig(id, VOTERS, 150, 400, 100, 64),
                new FileRaftLog(nodeDir.resolve("__cluster_metadata-0")), new FileQuorumStateStore(nodeDir), transport,
                listener, Time.SYSTEM);
        drivers.put(id, driver);
        driver.start();
    }

    private void stop(int id) {
        drivers.remove(id).close();
    }

    @AfterEach
    void closeAll() {
        new ArrayList<>(drivers.keySet()).forEach(this::stop);
    }

    private int awaitLeader() {
        int[] leader = {-1};
        await().atMost(20, TimeUnit.SECONDS).until(() -> {
            for (RaftDriver driver : drivers.values()) {
                int known = driver.leaderId();
                if (known >= 0 && drivers.containsKey(known) && drivers.values().stream()
                        .allMatch(d -> d.leaderId() == known)) {
                    leader[0] = known;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    private void appendOnLeader(String value) {
        await().atMost(20, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
            int leader = awaitLeader();
            drivers.get(leader).append(value.getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
            return true;
        });
    }

    @Test
    void electsCommitsFailsOverAndRecoversFromFiles() {
        VOTERS.forEach(this::start);
        int first = awaitLeader();
        for (int i = 0; i < 20; i++) {
            appendOnLeader("a" + i);
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> applied.values().stream().allMatch(v -> v.size() >= 20));

        stop(first);
        int second = awaitLeader();
        assertNotEquals(first, second, "a stopped leader is replaced");
        appendOnLeader("b0");

        start(first);
        await().atMost(20, TimeUnit.SECONDS).until(() -> applied.get(first).contains("b0"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("a" + i);
        }
        expected.add("b0");
        for (int id : VOTERS) {
            List<String> values = applied.get(id);
            assertTrue(values.containsAll(expected), "node " + id + " applied " + values);
            assertEquals(values.indexOf("b0"), values.size() - 1, "node " + id + " applied in order: " + values);
        }
    }

    @Test
    void aNodeBehindTheLeadersSnapshotCatchesUpThroughItAndARestartLoadsTheSnapshotFirst() throws Exception {
        VOTERS.forEach(this::start);
        int first = awaitLeader();
        int lagging = VOTERS.stream().filter(id -> id != first).findFirst().orElseThrow();
        stop(lagging);
        for (int i = 0; i < 10; i++) {
            appendOnLeader("s" + i);
        }
        int leader = awaitLeader();
        await().atMost(20, TimeUnit.SECONDS).until(() -> applied.get(leader).contains("s9"));
        StateMachine leaderState = stateMachines.get(leader);
        OffsetAndEpoch id = leaderState.appliedEnd;
        ExecutionException notCommitted = assertThrows(ExecutionException.class, () -> drivers.get(leader)
                .snapshotCreated(new OffsetAndEpoch(id.offset() + 100, id.epoch()), new byte[0]).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, notCommitted.getCause(), "only applied offsets");
        assertTrue(drivers.get(leader).snapshotCreated(id, leaderState.snapshot()).get(5, TimeUnit.SECONDS),
                "the snapshot is stored and the prefix deleted");
        assertTrue(Files.exists(dir.resolve("node-" + leader).resolve("__cluster_metadata-0")
                .resolve(String.format("%020d-%010d.checkpoint", id.offset(), id.epoch()))));

        start(lagging);
        await().atMost(20, TimeUnit.SECONDS).until(() -> applied.get(lagging).contains("s9"));
        assertEquals("snapshot", stateMachines.get(lagging).calls.get(0), "it caught up through the snapshot");
        appendOnLeader("after");
        await().atMost(20, TimeUnit.SECONDS).until(() -> applied.get(lagging).contains("after"));

        stop(leader);
        start(leader);
        await().atMost(20, TimeUnit.SECONDS).until(() -> applied.get(leader).contains("after"));
        assertEquals("snapshot", stateMachines.get(leader).calls.get(0), "the snapshot on disk is loaded first");
        assertEquals(applied.get(lagging), applied.get(leader));
    }

    @Test
    void publishesAStatusThatFollowsProgressAndDropsLeadershipWhenStopped() {
        VOTERS.forEach(this::start);
        int leader = awaitLeader();
        appendOnLeader("x");
        RaftDriver leading = drivers.get(leader);
        await().atMost(20, TimeUnit.SECONDS).until(() -> {
            RaftStatus status = leading.status();
            return status.isLeader() && status.voters().size() == 3
                    && status.voters().stream().allMatch(r -> r.lagOffsets() == 0)
                    && drivers.values().stream().allMatch(d -> d.status().highWatermark() == status.logEndOffset());
        });
        assertTrue(leading.status().electionsStarted() >= 1);
        int follower = VOTERS.stream().filter(id -> id != leader).findFirst().orElseThrow();
        assertTrue(drivers.get(follower).status().voters().isEmpty(), "a follower knows no progress");

        stop(leader);
        assertEquals(-1, leading.status().leaderId(), "a stopped driver leads nothing");
        assertTrue(leading.status().voters().isEmpty());
    }

    @Test
    void aFatalErrorFailsTheWaitingAppendsAndPublishesAStoppedStatus() {
        RaftDriver.Listener failing = new RaftDriver.Listener() {
            @Override
            public void onCommit(List<LogEntry> entries) {
                if (entries.stream().anyMatch(entry -> !entry.control())) {
                    throw new IllegalStateException("a broken state machine");
                }
            }

            @Override
            public void onSnapshot(OffsetAndEpoch id, byte[] data) {
            }
        };
        Path nodeDir = dir.resolve("alone");
        RaftDriver driver = new RaftDriver(new RaftConfig(1, Set.of(1), 150, 400, 100, 64),
                new FileRaftLog(nodeDir.resolve("__cluster_metadata-0")), new FileQuorumStateStore(nodeDir),
                message -> { }, failing, Time.SYSTEM);
        drivers.put(1, driver);
        driver.start();
        await().atMost(20, TimeUnit.SECONDS).until(() -> driver.status().isLeader());

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> driver.append("x".getBytes(StandardCharsets.UTF_8)).get(20, TimeUnit.SECONDS));
        assertInstanceOf(NotLeaderOrFollowerException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("the Raft driver of node 1 stopped"),
                failed.getCause().getMessage());
        await().atMost(20, TimeUnit.SECONDS).until(() -> driver.status().leaderId() == -1);
        assertTrue(driver.status().voters().isEmpty(), "a stopped driver publishes no progress");
        assertThrows(ExecutionException.class, () -> driver.describeQuorum().get(5, TimeUnit.SECONDS),
                "work handed to it later fails at once");
    }

    @Test
    void aSnapshotHandedToAStoppedDriverFails() {
        start(1);
        RaftDriver driver = drivers.get(1);
        stop(1);
        ExecutionException stopped = assertThrows(ExecutionException.class,
                () -> driver.snapshotCreated(new OffsetAndEpoch(1, 1), new byte[0]).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, stopped.getCause());
    }

    @Test
    void aFullRestartKeepsTheLogAndTheEpoch() {
        VOTERS.forEach(this::start);
        awaitLeader();
        appendOnLeader("kept");
        await().atMost(20, TimeUnit.SECONDS).until(() -> applied.values().stream().allMatch(v -> v.contains("kept")));
        int epochBefore = drivers.values().iterator().next().epoch();
        new ArrayList<>(drivers.keySet()).forEach(this::stop);

        VOTERS.forEach(this::start);
        awaitLeader();
        await().atMost(20, TimeUnit.SECONDS).until(() -> applied.values().stream().allMatch(v -> v.contains("kept")));
        assertTrue(drivers.values().stream().allMatch(d -> d.epoch() > epochBefore),
                "the new election happens in a later epoch than " + epochBefore);
    }
}
