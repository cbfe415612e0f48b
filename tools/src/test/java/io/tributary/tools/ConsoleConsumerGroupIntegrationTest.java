package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** console-consumer --group against a real node: each run goes on from what the previous one printed. */
@Tag("integration")
class ConsoleConsumerGroupIntegrationTest {

    @TempDir
    static Path dir;

    private static TestNode node;

    @BeforeAll
    static void startNode() {
        node = new TestNode(dir, Map.of("offsets.topic.num.partitions", "1", "group.consumer.heartbeat.interval.ms",
                "100"));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static Cli.Result consume(String... options) {
        String[] base = {"console-consumer", "--bootstrap-server", node.bootstrap(), "--topic", "events"};
        String[] args = java.util.Arrays.copyOf(base, base.length + options.length);
        System.arraycopy(options, 0, args, base.length, options.length);
        return Cli.run(args);
    }

    @Test
    void runsInAGroupGoOnFromWhatThePreviousRunPrinted() {
        node.createTopic("events", 2, Map.of());
        Cli.runWithInput("a\nb\nc\nd\ne\n", "console-producer", "--bootstrap-server", node.bootstrap(), "--topic",
                "events").assertSuccess();

        Cli.Result first = consume("--group", "readers", "--from-beginning", "--max-messages", "3", "--timeout-ms", "5000").assertSuccess();
        Cli.Result second = consume("--group", "readers", "--max-messages", "10", "--timeout-ms", "2000")
                .assertSuccess();
        assertTrue(second.err().contains("Processed a total of 2 messages"), second.err());
        String printed = first.out() + second.out();
        assertEquals("abcde", printed.lines().sorted().reduce("", String::concat),
                "every record printed exactly once across the two runs: " + printed);

        Cli.Result fresh = consume("--group", "latecomers", "--timeout-ms", "1500").assertSuccess();
        assertEquals("", fresh.out(), "a new group starts at the end without --from-beginning");
    }

    @Test
    void groupCannotBeCombinedWithPartitionOrOffset() {
        Cli.Result result = consume("--group", "readers", "--partition", "0", "--timeout-ms", "1000");
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("--group"), result.err());
    }
}
