package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** console-producer to console-consumer against a real node, with keys, headers and timestamps. */
@Tag("integration")
class ConsoleIntegrationTest {

    private static final Pattern FULL_LINE =
            Pattern.compile("CreateTime:(\\d+)\tPartition:(\\d+)\tOffset:(\\d+)\t([^\t]*)\t([^\t]*)\t(.*)");

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

    private static Cli.Result produce(String topic, String input, String... options) {
        String[] args = concat(new String[] {"console-producer", "--bootstrap-server", node.bootstrap(), "--topic", topic},
                options);
        return Cli.runWithInput(input, args);
    }

    private static Cli.Result consume(String topic, String... options) {
        String[] args = concat(new String[] {"console-consumer", "--bootstrap-server", node.bootstrap(), "--topic", topic,
            "--timeout-ms", "3000"}, options);
        return Cli.run(args);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void valuesRoundTripInOrder() {
        node.createTopic("plain", 1, Map.of());
        produce("plain", "one\ntwo\nthree\n").assertSuccess();

        Cli.Result consumed = consume("plain", "--from-beginning", "--max-messages", "3").assertSuccess();

        assertEquals("one\ntwo\nthree\n", consumed.out());
        assertTrue(consumed.err().contains("Processed a total of 3 messages"), consumed.err());
    }

    @Test
    void keysHeadersTimestampsOffsetsAndPartitionsArePrintedLikeKafka() {
        node.createTopic("keyed", 1, Map.of());
        long before = System.currentTimeMillis();
        produce("keyed", "color:red,size:L|k1|first\n|k2|second\n", "--property", "parse.key=true",
                "--property", "key.separator=|", "--property", "parse.headers=true", "--property", "headers.delimiter=|",
                "--request-required-acks", "all", "--compression-codec", "--sync").assertSuccess();

        Cli.Result consumed = consume("keyed", "--from-beginning", "--max-messages", "2", "--property", "print.key=true",
                "--property", "print.timestamp=true", "--property", "print.offset=true", "--property",
                "print.partition=true", "--property", "print.headers=true").assertSuccess();

        List<String> lines = consumed.out().lines().toList();
        assertEquals(2, lines.size(), consumed.toString());
        Matcher first = matchFull(lines.get(0));
        assertTrue(Long.parseLong(first.group(1)) >= before, lines.get(0));
        assertEquals(List.of("0", "0", "color:red,size:L", "k1", "first"),
                List.of(first.group(2), first.group(3), first.group(4), first.group(5), first.group(6)));
        Matcher second = matchFull(lines.get(1));
        assertEquals(List.of("1", "NO_HEADERS", "k2", "second"),
                List.of(second.group(3), second.group(4), second.group(5), second.group(6)));
    }

    private static Matcher matchFull(String line) {
        Matcher matcher = FULL_LINE.matcher(line);
        assertTrue(matcher.matches(), "not Kafka's format: " + line);
        return matcher;
    }

    @Test
    void aKeySeparatorForTheConsumerAndNullKeys() {
        node.createTopic("separators", 1, Map.of());
        produce("separators", "no key here\n").assertSuccess();

        Cli.Result consumed = consume("separators", "--from-beginning", "--max-messages", "1",
                "--property", "print.key=true", "--property", "key.separator=::").assertSuccess();

        assertEquals("null::no key here\n", consumed.out());
    }

    @Test
    void aPartitionAndAnOffsetSelectWhereReadingStarts() {
        node.createTopic("positions", 2, Map.of());
        produce("positions", "a:1\na:2\na:3\nb:4\n", "--property", "parse.key=true", "--property", "key.separator=:",
                "--producer-property", "linger.ms=0").assertSuccess();
        List<String> ends = Cli.run("get-offsets", "--bootstrap-server", node.bootstrap(), "--topic", "positions")
                .assertSuccess().out().lines().sorted(Comparator.comparingLong(l -> -Long.parseLong(l.split(":")[2])))
                .toList();
        String partition = ends.getFirst().split(":")[1];
        int count = Integer.parseInt(ends.getFirst().split(":")[2]);

        List<String> all = consume("positions", "--partition", partition, "--offset", "earliest",
                "--max-messages", Integer.toString(count)).assertSuccess().out().lines().toList();
        List<String> fromOffset = consume("positions", "--partition", partition, "--offset", "1",
                "--max-messages", Integer.toString(count - 1)).assertSuccess().out().lines().toList();

        assertTrue(count >= 3, "the three records with key a share a partition: " + ends);
        assertEquals(count, all.size());
        assertEquals(all.subList(1, count), fromOffset);
    }

    @Test
    void withoutFromBeginningOnlyNewRecordsArePrinted() {
        node.createTopic("latest", 1, Map.of());
        produce("latest", "old\n").assertSuccess();

        Cli.Result consumed = Cli.run("console-consumer", "--bootstrap-server", node.bootstrap(), "--topic", "latest",
                "--timeout-ms", "1000");

        assertEquals(0, consumed.exitCode(), consumed.toString());
        assertEquals("", consumed.out());
        assertTrue(consumed.err().contains("Processed a total of 0 messages"), consumed.err());
    }

    @Test
    void aMissingTopicIsOneClearError() {
        Cli.Result produced = produce("no-such-topic", "x\n");
        Cli.Result consumed = consume("no-such-topic");

        for (Cli.Result result : List.of(produced, consumed)) {
            assertEquals(1, result.exitCode(), result.toString());
            assertEquals("Error: topic 'no-such-topic' does not exist", result.err().strip());
        }
    }

    @Test
    void aLineWithoutTheKeySeparatorFailsAndNamesTheLine() {
        node.createTopic("bad-lines", 1, Map.of());

        Cli.Result produced = produce("bad-lines", "k\tgood\nno separator\n", "--property", "parse.key=true");

        assertEquals(1, produced.exitCode(), produced.toString());
        assertTrue(produced.err().startsWith("Error: no key separator found on line 2: 'no separator'"), produced.err());
        assertEquals("k\tgood\n", consume("bad-lines", "--from-beginning", "--max-messages", "1",
                "--property", "print.key=true").out());
    }

    @Test
    void contradictoryOrMalformedOptionsAreUsageErrors() {
        node.createTopic("usage", 1, Map.of());

        Cli.Result offsetWithoutPartition = consume("usage", "--offset", "3");
        Cli.Result badOffset = consume("usage", "--partition", "0", "--offset", "soon");
        Cli.Result noPartition = consume("usage", "--partition", "7");
        Cli.Result badReaderProperty = produce("usage", "x\n", "--property", "headers.delimiter=,");

        assertUsageError(offsetWithoutPartition, "Error: --offset needs --partition");
        assertUsageError(badOffset, "Error: --offset must be a non-negative number, earliest or latest; got 'soon'");
        assertUsageError(noPartition, "Error: topic 'usage' has no partition 7 (it has 1)");
        assertUsageError(badReaderProperty, "Error: --property: headers.delimiter and headers.separator may not be equal");
    }

    private static void assertUsageError(Cli.Result result, String firstLine) {
        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(firstLine, result.err().lines().findFirst().orElse(""), result.toString());
        assertTrue(result.err().contains("Usage: tributary "), result.err());
    }
}
