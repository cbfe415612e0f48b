package io.tributary.tools;

import static io.tributary.tools.ConsumerGroupsIntegrationTest.table;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.admin.ConsumerGroupState;
import io.tributary.client.admin.ProtocolMember;
import io.tributary.common.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** consumer-groups --reset-offsets against a real node: every spec, scopes, and refusals (each test has its own groups). */
@Tag("integration")
class ConsumerGroupsResetIntegrationTest {

    private static final long HOUR_MS = 3_600_000;
    /** Record i of topic "reset" has timestamp BASE + i hours: ten records from ten hours ago. */
    private static final long BASE = System.currentTimeMillis() - 10 * HOUR_MS;
    private static final TopicPartition RESET_0 = new TopicPartition("reset", 0);
    private static final TopicPartition OTHER_0 = new TopicPartition("other", 0);
    private static final TopicPartition OTHER_1 = new TopicPartition("other", 1);
    private static final AtomicInteger GROUPS = new AtomicInteger();

    @TempDir
    static Path dir;
    static GroupsNode node;

    @BeforeAll
    static void start() throws Exception {
        node = new GroupsNode(dir);
        node.createTopic("reset", 1);
        node.createTopic("other", 2);
        node.produce("reset", 0, 10, i -> BASE + i * HOUR_MS);
        node.produce("other", 0, 3, i -> System.currentTimeMillis());
        node.produce("other", 1, 6, i -> System.currentTimeMillis());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** Each spec from committed offset 5 of "reset" (records 0..9): the new offset it plans. */
    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of(List.of("--to-earliest"), 0L),
                Arguments.of(List.of("--to-latest"), 10L),
                Arguments.of(List.of("--to-current"), 5L),
                Arguments.of(List.of("--to-offset", "7"), 7L),
                Arguments.of(List.of("--to-offset", "50"), 10L),
                Arguments.of(List.of("--shift-by", "-2"), 3L),
                Arguments.of(List.of("--shift-by", "-100"), 0L),
                Arguments.of(List.of("--to-datetime", Instant.ofEpochMilli(BASE + 5 * HOUR_MS / 2).toString()
                        .replace("Z", "")), 3L),
                Arguments.of(List.of("--to-datetime", Instant.ofEpochMilli(BASE + 20 * HOUR_MS).toString()), 10L),
                Arguments.of(List.of("--by-duration", "PT6H30M"), 4L));
    }

    private static Cli.Result reset(String group, List<String> options) {
        List<String> args = new ArrayList<>(List.of("--reset-offsets", "--group", group));
        args.addAll(options);
        return node.groups(args.toArray(String[]::new));
    }

    private static List<String> plannedRow(Cli.Result result) {
        List<List<String>> rows = table(result.out());
        assertEquals(List.of("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"), rows.get(0), result.toString());
        assertEquals(2, rows.size(), result.toString());
        return rows.get(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void eachSpecPlansInADryRunAndCommitsWithExecute(List<String> spec, long expected) throws Exception {
        String group = "spec-" + GROUPS.incrementAndGet();
        node.commit(group, Map.of(RESET_0, 5L));
        List<String> scoped = new ArrayList<>(spec);
        scoped.addAll(List.of("--topic", "reset"));

        Cli.Result planned = reset(group, scoped).assertSuccess();
        Cli.Result dryRun = reset(group, concat(scoped, "--dry-run")).assertSuccess();
        assertEquals(Map.of(RESET_0, 5L), node.committed(group));
        Cli.Result executed = reset(group, concat(scoped, "--execute")).assertSuccess();

        List<String> row = List.of(group, "reset", "0", Long.toString(expected));
        assertEquals(row, plannedRow(planned));
        assertEquals(row, plannedRow(dryRun));
        assertEquals(row, plannedRow(executed));
        assertTrue(planned.err().endsWith("This was a dry run: no offsets were changed (add --execute to reset them).\n"),
                planned.err());
        assertEquals(Map.of(RESET_0, expected), node.committed(group));
    }

    private static List<String> concat(List<String> options, String option) {
        List<String> all = new ArrayList<>(options);
        all.add(option);
        return all;
    }

    @Test
    void offsetsOutsideTheLogAreClampedWithKafkasWarnings() throws Exception {
        node.commit("clamped", Map.of(RESET_0, 5L));

        Cli.Result high = reset("clamped", List.of("--topic", "reset:0", "--to-offset", "50"));
        Cli.Result low = reset("clamped", List.of("--topic", "reset:0", "--shift-by", "-6"));

        assertTrue(high.err().startsWith("New offset (50) is higher than latest offset for topic partition reset-0. "
                + "Value will be set to 10\n"), high.err());
        assertTrue(low.err().startsWith("New offset (-1) is lower than earliest offset for topic partition reset-0. "
                + "Value will be set to 0\n"), low.err());
    }

    @Test
    void scopesSelectAllTopicsOfTheGroupOrSomePartitions() throws Exception {
        node.commit("scoped", Map.of(RESET_0, 5L, OTHER_0, 2L, OTHER_1, 2L));

        reset("scoped", List.of("--topic", "other:1", "--to-latest", "--execute")).assertSuccess();
        assertEquals(Map.of(RESET_0, 5L, OTHER_0, 2L, OTHER_1, 6L), node.committed("scoped"));
        Cli.Result all = reset("scoped", List.of("--all-topics", "--to-earliest", "--execute")).assertSuccess();

        assertEquals(Map.of(RESET_0, 0L, OTHER_0, 0L, OTHER_1, 0L), node.committed("scoped"));
        assertEquals(List.of(List.of("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"), List.of("scoped", "other", "0", "0"),
                List.of("scoped", "other", "1", "0"), List.of("scoped", "reset", "0", "0")), table(all.out()));
    }

    @Test
    void aGroupThatDoesNotExistYetGetsTheOffsets() throws Exception {
        reset("brand-new", List.of("--topic", "other", "--to-offset", "1", "--execute")).assertSuccess();

        assertEquals(Map.of(OTHER_0, 1L, OTHER_1, 1L), node.committed("brand-new"));
    }

    @Test
    void unknownTopicsPartitionsAndShiftsWithoutAnOffsetChangeNothing() throws Exception {
        node.commit("careful", Map.of(OTHER_0, 2L));

        Cli.Result unknownTopic = reset("careful", List.of("--topic", "nope", "--to-earliest", "--execute"));
        Cli.Result unknownPartition = reset("careful", List.of("--topic", "other:0,9", "--to-earliest", "--execute"));
        Cli.Result noOffset = reset("careful", List.of("--topic", "other", "--shift-by", "1", "--execute"));

        assertEquals("Error: topic 'nope' does not exist\n", unknownTopic.err());
        assertEquals("Error: topic 'other' has no partition 9 (it has 2)\n", unknownPartition.err());
        assertEquals("Error: consumer group 'careful': cannot shift the offset of partition other-1: the group has no "
                + "committed offset there\n", noOffset.err());
        for (Cli.Result failed : List.of(unknownTopic, unknownPartition, noOffset)) {
            assertEquals(1, failed.exitCode(), failed.toString());
            assertEquals("", failed.out());
        }
        assertEquals(Map.of(OTHER_0, 2L), node.committed("careful"));
    }

    @Test
    void anActiveGroupIsRefusedAndNoGroupIsChanged() throws Exception {
        node.commit("active", Map.of(RESET_0, 5L));
        node.commit("idle", Map.of(RESET_0, 6L));
        try (ProtocolMember member = new ProtocolMember(node.bootstrap(), "active", "m", "c", List.of("reset"))) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> node.admin()
                    .describeConsumerGroups(List.of("active")).all().get().get("active").state()
                    == ConsumerGroupState.STABLE);
            assertEquals(Set.of(RESET_0), member.assignment(), member.lastError());

            Cli.Result executed = reset("active", List.of("--topic", "reset", "--to-earliest", "--execute"));
            Cli.Result dryRun = reset("active", List.of("--topic", "reset", "--to-earliest"));
            Cli.Result allGroups = node.groups("--reset-offsets", "--all-groups", "--all-topics", "--to-earliest",
                    "--execute");

            String refusal = "Error: Assignments can only be reset if the group 'active' is inactive, but the current "
                    + "state is Stable.\nNo offsets were changed.\n";
            for (Cli.Result refused : List.of(executed, dryRun, allGroups)) {
                assertEquals(1, refused.exitCode(), refused.toString());
                assertEquals(refusal, refused.err());
                assertEquals("", refused.out());
            }
            assertEquals(Map.of(RESET_0, 5L), node.committed("active"));
            assertEquals(Map.of(RESET_0, 6L), node.committed("idle"));
        }
    }
}
