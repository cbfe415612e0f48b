package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** delete-records against a real node: Kafka's JSON in, Kafka's report out; bad files and an unreachable cluster. */
@Tag("integration")
class DeleteRecordsIntegrationTest {

    @TempDir
    static Path dir;
    private static TestNode node;

    @BeforeAll
    static void startNode() {
        node = new TestNode(dir);
        node.createTopic("records", 1, Map.of());
        node.createTopic("other", 1, Map.of());
        Cli.runWithInput("a\nb\nc\nd\ne\n", "console-producer", "--bootstrap-server", node.bootstrap(), "--topic",
                "records").assertSuccess();
        Cli.runWithInput("x\ny\n", "console-producer", "--bootstrap-server", node.bootstrap(), "--topic", "other")
                .assertSuccess();
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static Path offsetFile(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    private static Cli.Result deleteRecords(Path file) {
        return Cli.runAgainst(node.bootstrap(), "delete-records", "--offset-json-file", file.toString());
    }

    @Test
    void deletesTheRecordsBeforeTheOffsetForConsumersAndGetOffsets() throws IOException {
        Path file = offsetFile("delete.json", "{\"partitions\":[{\"topic\":\"records\",\"partition\":0,\"offset\":3}],"
                + "\"version\":1}");

        Cli.Result result = deleteRecords(file).assertSuccess();

        assertEquals(List.of("Executing records delete operation", "Records delete operation completed:",
                "partition: records-0\tlow_watermark: 3"), result.out().lines().toList());
        List<String> consumed = Cli.runAgainst(node.bootstrap(), "console-consumer", "--topic", "records",
                "--from-beginning", "--max-messages", "2").assertSuccess().out().lines().toList();
        assertEquals(List.of("d", "e"), consumed, "records before offset 3 are gone");
        assertEquals("records:0:3\n", Cli.runAgainst(node.bootstrap(), "get-offsets", "--topic", "records",
                "--time", "earliest").assertSuccess().out());
    }

    @Test
    void anOffsetBeyondTheHighWatermarkFailsThatPartitionOnly() throws IOException {
        Path file = offsetFile("beyond.json", "{\"version\":1,\"partitions\":[{\"topic\":\"records\",\"partition\":0,"
                + "\"offset\":99},{\"topic\":\"other\",\"partition\":0,\"offset\":-1}]}");

        Cli.Result result = deleteRecords(file);

        assertEquals(1, result.exitCode(), result.toString());
        List<String> lines = result.out().lines().toList();
        assertEquals(4, lines.size(), result.toString());
        assertTrue(lines.get(2).startsWith("partition: records-0\terror: "), result.toString());
        assertTrue(lines.get(2).contains("below offset 99: it is above the high watermark 5"), result.toString());
        assertEquals("partition: other-0\tlow_watermark: 2", lines.get(3), "-1 deletes up to the high watermark");
        assertEquals("Error: 1 of 2 partition(s) could not be deleted\n", result.err());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anUnknownTopicRetriedToTheDeadlineIsReportedPerPartitionNotAsUnreachable() throws IOException {
        Path file = offsetFile("unknown.json", "{\"partitions\":[{\"topic\":\"nosuch\",\"partition\":0,"
                + "\"offset\":1}]}");

        Cli.Result result = Cli.runAgainst(node.bootstrap(), "delete-records", "--command-timeout-ms", "1500",
                "--offset-json-file", file.toString());

        assertEquals(1, result.exitCode(), result.toString());
        List<String> lines = result.out().lines().toList();
        assertEquals(3, lines.size(), result.toString());
        assertTrue(lines.get(2).startsWith("partition: nosuch-0\terror: deleteRecords of nosuch-0 timed out"),
                result.toString());
        assertTrue(lines.get(2).contains("UNKNOWN_TOPIC_OR_PARTITION"), result.toString());
        assertEquals("Error: 1 of 1 partition(s) could not be deleted\n", result.err());
    }

    @Test
    void badOffsetFilesAreUsageErrorsNamingTheProblem() throws IOException {
        assertUsageError(dir.resolve("absent.json"), "--offset-json-file: cannot read " + dir.resolve("absent.json"));
        assertUsageError(offsetFile("malformed.json", "{\"partitions\":[{\"topic\":\"records\",}]}"),
                "invalid JSON at line 1, column 35: expected a quoted field name");
        assertUsageError(offsetFile("negative.json", "{\"partitions\":[{\"topic\":\"records\",\"partition\":-1,"
                + "\"offset\":1}]}"), "partitions[0].partition must be 0 or more (got -1)");
        assertUsageError(offsetFile("version.json", "{\"version\":2,\"partitions\":[]}"),
                "unsupported \"version\" 2: only 1 is supported");
        assertUsageError(offsetFile("twice.json", "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":1},"
                + "{\"topic\":\"t\",\"partition\":0,\"offset\":2}]}"), "lists partitions more than once: t-0");

        Cli.Result missingOption = Cli.runAgainst(node.bootstrap(), "delete-records");
        assertEquals(2, missingOption.exitCode(), missingOption.toString());
        assertTrue(missingOption.err().contains("Missing required option: '--offset-json-file=FILE'"),
                missingOption.err());
    }

    private static void assertUsageError(Path file, String fragment) {
        Cli.Result result = deleteRecords(file);
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains(fragment), result.err());
        assertEquals("", result.out(), "nothing was executed");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anUnreachableClusterFailsWithinTheTimeoutNamingTheAddress() throws IOException {
        Path file = offsetFile("unreachable.json", "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":1}]}");

        Cli.Result result = Cli.run("delete-records", "--bootstrap-server", "127.0.0.1:1", "--command-timeout-ms",
                "1500", "--offset-json-file", file.toString());

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("Error: no answer from 127.0.0.1:1 within 1500 ms (is a node running "
                + "there? --command-timeout-ms sets the limit): "), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }
}
