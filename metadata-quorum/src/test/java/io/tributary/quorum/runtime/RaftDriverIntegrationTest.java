package io.tributary.quorum.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.Time;
import io.tributary.quorum.raft.LogEntry;
import io.tributary.quorum.raft.RaftConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three drivers in one JVM with real log and quorum-state files, wired by a direct in-memory
 * transport: elections, commits, a leader stopping, and a node restarting from its files.
 */
@Tag("integration")
class RaftDriverIntegrationTest {

    private static final Set<Integer> VOTERS = Set.of(1, 2, 3);

    @TempDir
    Path dir;
    private final Map<Integer, RaftDriver> drivers = new HashMap<>();
    private final Map<Integer, List<String>> applied = new HashMap<>();

    private void start(int id) {
        Path nodeDir = dir.resolve("node-" + id);
        List<String> values = new CopyOnWriteArrayList<>();
        applied.put(id, values);
        RaftDriver.Listener listener = entries -> {
            for (LogEntry entry : entries) {
                if (!entry.control()) {
                    values.add(new String(entry.data(), StandardCharsets.UTF_8));
                }
            }
        };
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
