package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** get-offsets, producer-perf-test and consumer-perf-test against a real node. */
@Tag("integration")
class OffsetsAndPerfIntegrationTest {

    /** Kafka's ProducerPerformance final line: records/sec with %f, MB/sec, latencies with 2 decimals. */
    private static final Pattern PRODUCER_TOTAL = Pattern.compile("(\\d+) records sent, (\\d+\\.\\d{6}) records/sec "
            + "\\((\\d+\\.\\d{2}) MB/sec\\), (\\d+\\.\\d{2}) ms avg latency, (\\d+\\.\\d{2}) ms max latency, "
            + "(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99\\.9th\\.");
    private static final String CONSUMER_HEADER = "start.time, end.time, data.consumed.in.MB, MB.sec, "
            + "data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
    private static final String DATE = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}";
    private static final String DECIMAL = "\\d+\\.\\d{4}";
    private static final Pattern CONSUMER_LINE = Pattern.compile(DATE + ", " + DATE + ", (" + DECIMAL + "), " + DECIMAL
            + ", (\\d+), " + DECIMAL + ", 0, \\d+, " + DECIMAL + ", " + DECIMAL);

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

    @Test
    void getOffsetsPrintsLatestEarliestAndByTimestampLikeGetOffsetShell() {
        node.createTopic("offsets", 3, Map.of());
        long beforeFirst = System.currentTimeMillis();
        Cli.runWithInput("p:a\np:b\np:c\n", "console-producer", "--bootstrap-server", node.bootstrap(), "--topic", "offsets",
                "--property", "parse.key=true", "--property", "key.separator=:").assertSuccess();

        List<String> latest = offsets("--time", "-1");
        List<String> withData = latest.stream().filter(line -> line.endsWith(":3")).toList();
        assertEquals(1, withData.size(), "one partition holds the three records with key p: " + latest);
        String partition = withData.getFirst().split(":")[1];
        String others = String.join(",", List.of("0", "1", "2").stream().filter(p -> !p.equals(partition)).toList());

        assertEquals(3, latest.size(), latest.toString());
        assertEquals(List.of("offsets:0:0", "offsets:1:0", "offsets:2:0"), offsets("--time", "earliest"));
        assertEquals(List.of("offsets:0:0", "offsets:1:0", "offsets:2:0"), offsets("--time", "-2"));
        assertEquals(List.of("offsets:" + partition + ":0"), offsets("--time", Long.toString(beforeFirst)));
        assertEquals(List.of(), offsets("--time", Long.toString(beforeFirst), "--partitions", others));
        assertEquals(List.of(), offsets("--time", Long.toString(System.currentTimeMillis() + 3_600_000)));
        assertEquals(withData, offsets("--partitions", partition));
        List<String> newest = offsets("--time", "-3");
        assertEquals(1, newest.size(), "only the partition with records has a max-timestamp record: " + newest);
        assertTrue(newest.get(0).matches("offsets:" + partition + ":[0-2]"), newest.toString());
        assertEquals(newest, offsets("--time", "max-timestamp"));
    }

    private static List<String> offsets(String... options) {
        String[] args = new String[options.length + 5];
        System.arraycopy(new String[] {"get-offsets", "--bootstrap-server", node.bootstrap(), "--topic", "offsets"}, 0,
                args, 0, 5);
        System.arraycopy(options, 0, args, 5, options.length);
        return Cli.run(args).assertSuccess().out().lines().toList();
    }

    @Test
    void getOffsetsRejectsABadTimeAndUnknownPartitions() {
        node.createTopic("offsets-errors", 1, Map.of());

        Cli.Result badTime = Cli.run("get-offsets", "--bootstrap-server", node.bootstrap(), "--topic", "offsets-errors",
                "--time", "yesterday");
        Cli.Result badPartition = Cli.run("get-offsets", "--bootstrap-server", node.bootstrap(), "--topic",
                "offsets-errors", "--partitions", "0,4");
        Cli.Result missingTopic = Cli.run("get-offsets", "--bootstrap-server", node.bootstrap(), "--topic", "nothing");

        assertEquals(2, badTime.exitCode(), badTime.toString());
        assertTrue(badTime.err().startsWith("Error: --time must be latest, earliest, max-timestamp, -1, -2, -3 or a "
                + "timestamp"), badTime.err());
        assertEquals(2, badPartition.exitCode(), badPartition.toString());
        assertTrue(badPartition.err().startsWith("Error: topic 'offsets-errors' has no partition 4"), badPartition.err());
        assertEquals(1, missingTopic.exitCode(), missingTopic.toString());
        assertEquals("Error: topic 'nothing' does not exist", missingTopic.err().strip());
    }

    @Test
    void producerAndConsumerPerfTestsPrintKafkasFormats() {
        node.createTopic("perf", 2, Map.of());

        Cli.Result produced = Cli.run("producer-perf-test", "--bootstrap-server", node.bootstrap(), "--topic", "perf",
                "--num-records", "500", "--record-size", "100", "--throughput", "-1",
                "--producer-props", "acks=1", "linger.ms=1").assertSuccess();
        Cli.Result consumed = Cli.run("consumer-perf-test", "--bootstrap-server", node.bootstrap(), "--topic", "perf",
                "--messages", "500", "--timeout", "10000").assertSuccess();

        List<String> producerLines = produced.out().lines().toList();
        Matcher total = PRODUCER_TOTAL.matcher(producerLines.getLast());
        assertTrue(total.matches(), "not Kafka's final line: " + producerLines.getLast());
        assertEquals("500", total.group(1));
        int p50 = Integer.parseInt(total.group(6));
        int p999 = Integer.parseInt(total.group(9));
        assertTrue(p50 <= p999 && p999 <= Double.parseDouble(total.group(5)), producerLines.getLast());
        List<String> consumerLines = consumed.out().lines().toList();
        assertEquals(CONSUMER_HEADER, consumerLines.get(0));
        Matcher line = CONSUMER_LINE.matcher(consumerLines.get(1));
        assertTrue(line.matches(), "not Kafka's CSV line: " + consumerLines.get(1));
        assertEquals("500", line.group(2));
        assertEquals(String.format(java.util.Locale.ROOT, "%.4f", 500 * 100 / (1024.0 * 1024.0)), line.group(1));
    }

    @Test
    void throttledProducerPerfTestSendsEveryRecord() {
        node.createTopic("perf-throttled", 1, Map.of());

        Cli.Result produced = Cli.run("producer-perf-test", "--bootstrap-server", node.bootstrap(), "--topic",
                "perf-throttled", "--num-records", "300", "--record-size", "10", "--throughput", "1000").assertSuccess();

        Matcher total = PRODUCER_TOTAL.matcher(produced.out().lines().toList().getLast());
        assertTrue(total.matches(), produced.out());
        assertEquals("300", total.group(1));
        assertEquals(List.of("perf-throttled:0:300"), Cli.run("get-offsets", "--bootstrap-server", node.bootstrap(),
                "--topic", "perf-throttled").assertSuccess().out().lines().toList());
    }

    @Test
    void endToEndLatencyTimesEachRoundTripAndPrintsKafkasSummary() {
        node.createTopic("e2e", 1, Map.of());

        Cli.Result timed = Cli.run("e2e-latency", "--bootstrap-server", node.bootstrap(), "--topic", "e2e",
                "--num-records", "50", "--record-size", "64").assertSuccess();

        List<String> lines = timed.out().lines().toList();
        assertTrue(lines.get(0).matches("0\\t\\d+\\.\\d+"), "the first round trip is printed: " + lines);
        assertTrue(lines.get(lines.size() - 2).matches("Avg latency: \\d+\\.\\d{4} ms"), timed.out());
        assertTrue(lines.getLast().matches("Percentiles: 50th = \\d+, 99th = \\d+, 99\\.9th = \\d+"), timed.out());
        assertEquals(List.of("e2e:0:50"), Cli.run("get-offsets", "--bootstrap-server", node.bootstrap(), "--topic",
                "e2e").assertSuccess().out().lines().toList(), "each round trip wrote one record");
    }

    @Test
    void endToEndLatencyRejectsBadArguments() {
        Cli.Result badAcks = Cli.run("e2e-latency", "--bootstrap-server", node.bootstrap(), "--topic", "e2e-bad",
                "--num-records", "5", "--record-size", "10", "--producer-acks", "2");
        Cli.Result noRecords = Cli.run("e2e-latency", "--bootstrap-server", node.bootstrap(), "--topic", "e2e-bad",
                "--num-records", "0", "--record-size", "10");

        assertEquals(2, badAcks.exitCode(), badAcks.toString());
        assertTrue(badAcks.err().contains("--producer-acks must be 0, 1, all or -1, got 2"), badAcks.err());
        assertEquals(2, noRecords.exitCode(), noRecords.toString());
        assertTrue(noRecords.err().contains("--num-records and --record-size must be positive"), noRecords.err());
    }

    @Test
    void consumerPerfTestWarnsWhenTheTopicHasFewerMessages() {
        node.createTopic("perf-short", 1, Map.of());
        Cli.runWithInput("only\n", "console-producer", "--bootstrap-server", node.bootstrap(), "--topic", "perf-short")
                .assertSuccess();

        Cli.Result consumed = Cli.run("consumer-perf-test", "--bootstrap-server", node.bootstrap(), "--topic",
                "perf-short", "--messages", "5", "--timeout", "500", "--hide-header").assertSuccess();

        List<String> lines = consumed.out().lines().toList();
        assertEquals("WARNING: Exiting before consuming the expected number of messages: timeout (500 ms) exceeded. "
                + "You can use the --timeout option to increase the timeout.", lines.get(0));
        Matcher line = CONSUMER_LINE.matcher(lines.get(1));
        assertTrue(line.matches(), lines.get(1));
        assertEquals("1", line.group(2));
    }
}
