package io.tributary.client.consumer.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A member process killed with SIGKILL while consuming: after its session timeout its partitions go
 * to the surviving member, which resumes from the dead member's last commit, so no record is lost
 * and only records processed after that commit are processed twice.
 */
@Tag("system")
class GroupMemberCrashSystemTest extends GroupNodeTest {

    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 4;
    private static final int PER_PARTITION = 5_000;
    /** Commits the child must have printed before it is killed (it is then mid-stream: records remain). */
    private static final int COMMITS_BEFORE_KILL = 10;

    private Process child;

    @BeforeEach
    void createTopic() {
        node.createTopic(TOPIC, PARTITIONS, Map.of());
    }

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    /** What the child printed, parsed; the reader stops reading (so the child blocks) until released. */
    private static final class ChildOutput {
        final Map<Integer, Set<Long>> consumed = new HashMap<>();
        final Map<Integer, Long> lastCommit = new HashMap<>();
        final Set<Integer> assigned = new HashSet<>();
        int commits;
        final CountDownLatch enoughCommits = new CountDownLatch(1);
        final CountDownLatch killed = new CountDownLatch(1);

        synchronized void accept(String line) {
            if (!line.matches("(ASSIGNED|REVOKED|CONSUMED|COMMITTED) \\d+( \\d+)?")) {
                return; // the JVM's and logging's own output
            }
            String[] parts = line.split(" ");
            int partition = Integer.parseInt(parts[1]);
            switch (parts[0]) {
                case "ASSIGNED" -> assigned.add(partition);
                case "REVOKED" -> assigned.remove(partition);
                case "CONSUMED" -> consumed.computeIfAbsent(partition, p -> new HashSet<>()).add(Long.parseLong(parts[2]));
                case "COMMITTED" -> {
                    lastCommit.put(partition, Long.parseLong(parts[2]));
                    commits++;
                }
                default -> throw new IllegalStateException("unparsed line " + line);
            }
        }

        void readAll(Process process) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    accept(line);
                    if (enoughCommits.getCount() > 0 && commitsSeen() >= COMMITS_BEFORE_KILL) {
                        enoughCommits.countDown();
                        killed.await();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized boolean ownsSome() {
            return !assigned.isEmpty();
        }

        synchronized int commitsSeen() {
            return commits;
        }
    }

    @Test
    void aKilledMembersPartitionsResumeFromItsLastCommitWithNothingLost() throws Exception {
        OwnershipLog log = new OwnershipLog();
        GroupMember survivor = new GroupMember("survivor", GroupTestSupport.consumerConfig(node, "g"), List.of(TOPIC),
                log);
        await().atMost(Duration.ofSeconds(20)).until(() -> survivor.owned.size() == PARTITIONS);

        child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                GroupMemberProcess.class.getName(), node.bootstrap(), "g", TOPIC, "1500"))
                .redirectError(dir.resolve("child-stderr.log").toFile()).start();
        ChildOutput output = new ChildOutput();
        Thread reader = new Thread(() -> output.readAll(child), "child-output");
        reader.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> output.ownsSome() && survivor.owned.size() < PARTITIONS);
        GroupTestSupport.produce(node, TOPIC, PARTITIONS, PER_PARTITION);
        assertTrue(output.enoughCommits.await(60, TimeUnit.SECONDS), () -> "the child committed "
                + output.commitsSeen() + " times; its stderr: " + childErrors());

        long beforeKill = log.mark();
        // SIGKILL through the handle: Process.destroyForcibly would also close our end of its stdout, and
        // what the child printed before dying is still to be read.
        child.toHandle().destroyForcibly();
        child.waitFor();
        output.killed.countDown();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(output.assigned.isEmpty(), "the child owned partitions when it was killed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(PARTITIONS, survivor.owned.size());
            assertEveryRecordConsumed(log, output);
        });
        survivor.close();
        for (int partition : output.assigned) {
            long resumedAt = log.events().stream().filter(e -> e.seq() > beforeKill
                            && e.kind() == OwnershipLog.Kind.CONSUMED && e.partition().partition() == partition)
                    .mapToLong(OwnershipLog.Event::offset).min().orElseThrow();
            long lastSeenCommit = output.lastCommit.getOrDefault(partition, 0L);
            long lastConsumed = output.consumed.getOrDefault(partition, Set.of()).stream().mapToLong(Long::longValue).max().orElse(-1);
            // The child may have died between a successful commit and printing it: the survivor resumes at
            // a commit at or after the last one printed, never after what the child processed.
            assertTrue(resumedAt >= lastSeenCommit && resumedAt <= lastConsumed + 1, "partition " + partition
                    + " resumed at " + resumedAt + "; last commit seen " + lastSeenCommit + ", last consumed "
                    + lastConsumed);
        }
    }

    private String childErrors() {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("child-stderr.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Every produced record was processed by the child or the survivor. */
    private static void assertEveryRecordConsumed(OwnershipLog log, ChildOutput output) {
        Map<Integer, Set<Long>> seen = new HashMap<>();
        synchronized (output) {
            output.consumed.forEach((partition, offsets) -> seen.computeIfAbsent(partition, p -> new HashSet<>())
                    .addAll(offsets));
        }
        log.events().stream().filter(e -> e.kind() == OwnershipLog.Kind.CONSUMED).forEach(e ->
                seen.computeIfAbsent(e.partition().partition(), p -> new HashSet<>()).add(e.offset()));
        for (int partition = 0; partition < PARTITIONS; partition++) {
            Set<Long> offsets = seen.getOrDefault(partition, Set.of());
            long firstMissing = java.util.stream.LongStream.range(0, PER_PARTITION).filter(o -> !offsets.contains(o))
                    .findFirst().orElse(-1);
            assertEquals(-1, firstMissing, "partition " + partition + ": " + offsets.size() + " records processed; "
                    + "child's last commit " + output.lastCommit.get(partition));
        }
    }
}
