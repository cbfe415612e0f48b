package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tributary topics against a real node. */
@Tag("integration")
class TopicsIntegrationTest {

    @TempDir
    static Path dir;

    private static TestNode node;

    @BeforeAll
    static void startNode() {
        node = new TestNode(dir);
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static Cli.Result topics(String... options) {
        return Cli.runAgainst(node.bootstrap(), "topics", options);
    }

    private static List<String> names(String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "--list";
        System.arraycopy(options, 0, args, 1, options.length);
        return topics(args).assertSuccess().out().lines().toList();
    }

    @Test
    void createDescribeAlterAndDelete() {
        Cli.Result created = topics("--create", "--topic", "lifecycle", "--partitions", "2", "--replication-factor", "1",
                "--config", "retention.ms=86400000", "--config", "cleanup.policy=delete").assertSuccess();
        assertEquals("Created topic lifecycle.\n", created.out());

        List<String> described = topics("--describe", "--topic", "lifecycle").assertSuccess().out().lines().toList();
        assertEquals(3, described.size(), described.toString());
        assertTrue(Pattern.matches("Topic: lifecycle\tTopicId: [0-9a-f-]{36}\tPartitionCount: 2\tReplicationFactor: 1\t"
                + "Configs: cleanup.policy=delete,retention.ms=86400000", described.get(0)), described.get(0));
        assertEquals("\tTopic: lifecycle\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1", described.get(1));
        assertEquals("\tTopic: lifecycle\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1", described.get(2));

        assertEquals("Topic lifecycle now has 4 partitions.\n",
                topics("--alter", "--topic", "lifecycle", "--partitions", "4").assertSuccess().out());
        assertTrue(topics("--describe", "--topic", "lifecycle").out().contains("PartitionCount: 4"));

        assertEquals("Deleted topic lifecycle.\n", topics("--delete", "--topic", "lifecycle").assertSuccess().out());
        assertTrue(!names().contains("lifecycle"), names().toString());
    }

    @Test
    void listIsSortedFiltersByRegexAndCanLeaveInternalTopicsOut() {
        topics("--create", "--topic", "list-b").assertSuccess();
        topics("--create", "--topic", "list-a", "--partitions", "3").assertSuccess();

        List<String> all = names();
        List<String> external = names("--exclude-internal");

        assertEquals(List.of("list-a", "list-b"), names("--topic", "list-.*"));
        assertEquals(List.of(), names("--topic", "list-"));
        assertEquals(all.stream().sorted().toList(), all);
        assertTrue(external.containsAll(List.of("list-a", "list-b")), external.toString());
        assertTrue(external.stream().noneMatch(name -> name.startsWith("__")), external.toString());
        assertEquals(3, topics("--describe", "--topic", "list-a").out().lines().filter(l -> l.startsWith("\t")).count());
    }

    @Test
    void creatingAnExistingTopicFailsUnlessIfNotExists() {
        topics("--create", "--topic", "twice").assertSuccess();

        Cli.Result again = topics("--create", "--topic", "twice");
        Cli.Result tolerated = topics("--create", "--topic", "twice", "--if-not-exists");

        assertEquals(1, again.exitCode(), again.toString());
        assertEquals("Error: topic 'twice' already exists", again.err().strip());
        assertEquals(0, tolerated.exitCode(), tolerated.toString());
        assertEquals("", tolerated.out());
    }

    @Test
    void anUnknownTopicFailsUnlessIfExists() {
        for (String[] options : List.of(new String[] {"--describe"}, new String[] {"--delete"},
                new String[] {"--alter", "--partitions", "3"})) {
            String[] args = new String[options.length + 2];
            System.arraycopy(options, 0, args, 0, options.length);
            args[options.length] = "--topic";
            args[options.length + 1] = "ghost";

            Cli.Result failed = topics(args);

            assertEquals(1, failed.exitCode(), failed.toString());
            assertEquals("Error: topic 'ghost' does not exist", failed.err().strip());
            String[] tolerant = new String[args.length + 1];
            System.arraycopy(args, 0, tolerant, 0, args.length);
            tolerant[args.length] = "--if-exists";
            assertEquals("", topics(tolerant).assertSuccess().out());
        }
    }

    @Test
    void theNodeRejectsABadConfigAndAShrink() {
        Cli.Result unknownKey = topics("--create", "--topic", "bad-config", "--config", "no.such.key=1");
        Cli.Result badValue = topics("--create", "--topic", "bad-config", "--config", "retention.ms=soon");
        topics("--create", "--topic", "shrink", "--partitions", "3").assertSuccess();
        Cli.Result shrink = topics("--alter", "--topic", "shrink", "--partitions", "2");

        for (Cli.Result result : List.of(unknownKey, badValue, shrink)) {
            assertEquals(1, result.exitCode(), result.toString());
            assertTrue(result.err().startsWith("Error: "), result.err());
            assertEquals(1, result.err().lines().count(), result.err());
        }
        assertTrue(unknownKey.err().contains("no.such.key"), unknownKey.err());
        assertTrue(badValue.err().contains("retention.ms"), badValue.err());
        assertTrue(!names().contains("bad-config"), names().toString());
    }

    @Test
    void theNodesReasonForRefusingANameIsShown() {
        Cli.Result result = topics("--create", "--topic", "__reserved");

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("Error: topic name '__reserved' is reserved"), result.err());
    }

    @Test
    void optionsThatDoNotFitTheActionAreUsageErrors() {
        assertUsage(topics("--create"), "Error: --topic is required with --create, --alter and --delete");
        assertUsage(topics("--list", "--describe"), "Error: --list, --describe are mutually exclusive (specify only one)");
        assertUsage(topics("--topic", "x"), "Error: Missing required argument (specify one of these): "
                + "(--create | --list | --describe | --alter | --delete)");
        assertUsage(topics("--alter", "--topic", "x"), "Error: --alter needs --partitions, the new partition count");
        assertUsage(topics("--create", "--topic", "x", "--partitions", "0"),
                "Error: --partitions and --replication-factor must be at least 1");
        assertUsage(topics("--describe", "--config", "a=b"),
                "Error: --replication-factor, --config and --if-not-exists are only valid with --create");
        assertUsage(topics("--create", "--topic", "x", "--config", "retention.ms"),
                "Error: Value for option option '--config' (KEY=VALUE) should be in KEY=VALUE format but was retention.ms");
        assertUsage(topics("--describe", "--topic", "(unclosed"),
                "Error: --topic is not a valid regular expression: Unclosed group");
    }

    private static void assertUsage(Cli.Result result, String firstLine) {
        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(firstLine, result.err().lines().findFirst().orElseThrow(), result.toString());
        assertTrue(result.err().contains("Usage: tributary topics"), result.err());
    }
}
