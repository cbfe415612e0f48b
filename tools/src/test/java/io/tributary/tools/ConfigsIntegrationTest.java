package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.common.TopicPartition;
import io.tributary.storage.LogConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tributary configs against a real node: alters take effect on running partitions; mistakes change nothing. */
@Tag("integration")
class ConfigsIntegrationTest {

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

    private static Cli.Result configs(String... options) {
        return Cli.runAgainst(node.bootstrap(), "configs", options);
    }

    private static void createTopic(String name) {
        Cli.runAgainst(node.bootstrap(), "topics", "--create", "--topic", name, "--partitions", "1").assertSuccess();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
                node.server().localReplica(new TopicPartition(name, 0)).isPresent());
    }

    private static LogConfig partitionConfig(String topic) {
        return node.server().localReplica(new TopicPartition(topic, 0)).orElseThrow().log().config();
    }

    @Test
    void alterTopicThenDescribeShowsItAndThePartitionUsesIt() {
        createTopic("cfg-topic");
        assertEquals("Completed updating config for topic cfg-topic.\n", configs("--alter", "--entity-type", "topics",
                "--entity-name", "cfg-topic", "--add-config", "retention.ms=1000,cleanup.policy=[delete,compact]")
                .assertSuccess().out());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> partitionConfig("cfg-topic").retentionMs() == 1000);
        assertEquals(List.of("delete", "compact"), partitionConfig("cfg-topic").cleanupPolicy());

        assertEquals("Dynamic configs for topic cfg-topic are:\n"
                + "  cleanup.policy=delete,compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy="
                + "delete,compact, DEFAULT_CONFIG:log.cleanup.policy=delete}\n"
                + "  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, "
                + "DEFAULT_CONFIG:log.retention.ms=604800000}\n",
                configs("--describe", "--topic", "cfg-topic").assertSuccess().out());

        String all = configs("--describe", "--topic", "cfg-topic", "--all").assertSuccess().out();
        assertTrue(all.startsWith("All configs for topic cfg-topic are:\n"), all);
        assertTrue(all.contains("  segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes="
                + "1073741824}\n"), all);

        configs("--alter", "--topic", "cfg-topic", "--delete-config", "retention.ms").assertSuccess();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
                partitionConfig("cfg-topic").retentionMs() == 604800000L);
        String json = configs("--describe", "--topic", "cfg-topic", "--output", "json").assertSuccess().out();
        assertEquals("[{\"entityType\":\"topics\",\"entityName\":\"cfg-topic\",\"configs\":[{\"name\":\"cleanup.policy\","
                + "\"value\":\"delete,compact\",\"source\":\"DYNAMIC_TOPIC_CONFIG\",\"readOnly\":false,\"sensitive\":false,"
                + "\"synonyms\":[{\"name\":\"cleanup.policy\",\"value\":\"delete,compact\",\"source\":\"DYNAMIC_TOPIC_CONFIG\"},"
                + "{\"name\":\"log.cleanup.policy\",\"value\":\"delete\",\"source\":\"DEFAULT_CONFIG\"}]}]}]\n", json);
    }

    @Test
    void brokerDefaultAndPerBrokerConfigsFromAFileTakeEffect(@TempDir Path files) throws Exception {
        createTopic("cfg-broker");
        Path file = files.resolve("broker.properties");
        Files.writeString(file, "log.segment.bytes=524288\n");
        assertEquals("Completed updating default config for brokers in the cluster.\n",
                configs("--alter", "--entity-type", "brokers", "--entity-default", "--add-config-file", file.toString())
                        .assertSuccess().out());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
                partitionConfig("cfg-broker").segmentBytes() == 524288);
        assertEquals("Completed updating config for broker 1.\n",
                configs("--alter", "--broker", "1", "--add-config", "log.retention.bytes=7777777").assertSuccess().out());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
                partitionConfig("cfg-broker").retentionBytes() == 7777777L);

        assertEquals("Default configs for brokers in the cluster are:\n"
                + "  log.segment.bytes=524288 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.segment.bytes="
                + "524288}\n", configs("--describe", "--broker-defaults").assertSuccess().out());
        String brokers = configs("--describe", "--entity-type", "brokers").assertSuccess().out();
        assertTrue(brokers.contains("Dynamic configs for broker 1 are:\n  log.retention.bytes=7777777 sensitive=false "
                + "synonyms={DYNAMIC_BROKER_CONFIG:log.retention.bytes=7777777, DEFAULT_CONFIG:log.retention.bytes=-1}\n"),
                brokers);
        assertTrue(brokers.startsWith("Default configs for brokers in the cluster are:\n"), brokers);

        configs("--alter", "--broker-defaults", "--delete-config", "log.segment.bytes,log.segment.bytes")
                .assertSuccess();
        configs("--alter", "--broker", "1", "--delete-config", "log.retention.bytes").assertSuccess();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
                partitionConfig("cfg-broker").segmentBytes() == 1073741824);
    }

    @Test
    void describeWithoutANameCoversEveryTopic() {
        createTopic("cfg-every-a");
        createTopic("cfg-every-b");
        String out = configs("--describe", "--entity-type", "topics").assertSuccess().out();
        assertTrue(out.contains("Dynamic configs for topic cfg-every-a are:\n"), out);
        assertTrue(out.contains("Dynamic configs for topic cfg-every-b are:\n"), out);
    }

    @Test
    void refusalsFromTheClusterExitOneNamingTheProblemAndChangeNothing() {
        createTopic("cfg-refused");
        assertRefused(configs("--alter", "--topic", "cfg-refused", "--add-config", "retention.hours=1"),
                "unknown topic config 'retention.hours'");
        assertRefused(configs("--alter", "--topic", "cfg-refused", "--add-config", "retention.ms=soon"),
                "invalid value 'soon' for config 'retention.ms'");
        assertRefused(configs("--alter", "--broker", "1", "--add-config", "log.dirs=/tmp/elsewhere"),
                "Cannot update these configs dynamically: [log.dirs]");
        assertRefused(configs("--alter", "--broker", "9", "--add-config", "log.retention.ms=1"), "broker 9");
        assertRefused(configs("--describe", "--topic", "missing-topic"), "topic 'missing-topic' does not exist");
        assertEquals("Dynamic configs for topic cfg-refused are:\n",
                configs("--describe", "--topic", "cfg-refused").assertSuccess().out());
        assertEquals("Dynamic configs for broker 1 are:\n", configs("--describe", "--broker", "1").assertSuccess().out());
    }

    private static void assertRefused(Cli.Result result, String fragment) {
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("Error: ") && result.err().contains(fragment), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }

    @Test
    void helpListsTheCommandAndItsOptions() {
        assertTrue(Cli.run("--help").assertSuccess().out().contains("  configs "));
        String help = Cli.run("configs", "--help").assertSuccess().out();
        assertTrue(help.startsWith("Usage: tributary configs"), help);
        assertTrue(help.contains("--bootstrap-server") && help.contains("--add-config") && help.contains("--all"), help);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--alter --add-config retention.ms=1",
        "--describe",
        "--alter --entity-type topics --add-config retention.ms=1",
        "--alter --topic t",
        "--alter --topic t --add-config retention.ms=1 --delete-config retention.ms",
        "--alter --topic t --add-config retention.ms",
        "--alter --topic t --add-config cleanup.policy=[delete",
        "--describe --topic t --broker 1",
        "--describe --topic t --entity-type topics",
        "--describe --entity-type topics --entity-default",
        "--describe --entity-type groups",
        "--describe --broker one",
        "--describe --broker 01",
        "--alter --broker +1 --add-config log.retention.ms=1",
        "--alter --entity-type brokers --entity-name 007 --add-config log.retention.ms=1",
        "--describe --topic t --add-config retention.ms=1",
        "--alter --topic t --add-config retention.ms=1 --all",
        "--describe --topic t --output yaml",
        "--alter --entity-type brokers --entity-name 1 --entity-default --add-config log.retention.ms=1",
    })
    void usageMistakesExitTwoWithAClearMessageBeforeContactingTheCluster(String options) {
        List<String> args = new ArrayList<>(List.of("configs", "--bootstrap-server", "127.0.0.1:1",
                "--command-timeout-ms", "1000"));
        args.addAll(List.of(options.split(" ")));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("Error: ") || result.err().contains("Missing required"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void aBrokerIdWithASignOrLeadingZeroIsAUsageErrorNamingIt() {
        Cli.Result result = Cli.run("configs", "--bootstrap-server", "127.0.0.1:1", "--describe", "--broker", "01");
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("Error: a broker is named by its id (a number without sign or leading "
                + "zeros), got '01'"), result.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--describe --topic t", "--describe --entity-type brokers",
        "--alter --broker-defaults --add-config log.retention.ms=1", "--describe --broker 1"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anUnreachableClusterFailsWithinTheTimeoutNamingTheAddress(String options) {
        List<String> args = new ArrayList<>(List.of("configs", "--bootstrap-server", "127.0.0.1:1",
                "--command-timeout-ms", "1500"));
        args.addAll(List.of(options.split(" ")));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("Error: no answer from 127.0.0.1:1 within 1500 ms"), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }
}
