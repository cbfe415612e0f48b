package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version and mistakes in the command line: nothing here reaches a server. */
@Tag("unit")
class CommandLineTest {

    private static final List<String> SUBCOMMANDS = List.of("server", "topics", "console-producer", "console-consumer",
            "get-offsets", "producer-perf-test", "consumer-perf-test", "consumer-groups", "dump-log");

    @TempDir
    Path dir;

    @Test
    void helpListsEverySubcommand() {
        Cli.Result help = Cli.run("--help").assertSuccess();

        for (String subcommand : SUBCOMMANDS) {
            assertTrue(help.out().contains("  " + subcommand + " "), subcommand + " missing from\n" + help.out());
        }
        assertEquals("", help.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "topics", "console-producer", "console-consumer", "get-offsets", "producer-perf-test",
        "consumer-perf-test", "consumer-groups"})
    void everySubcommandHasHelp(String subcommand) {
        Cli.Result help = Cli.run(subcommand, "--help").assertSuccess();

        assertTrue(help.out().startsWith("Usage: tributary " + subcommand), help.out());
        if (!subcommand.equals("server")) {
            assertTrue(help.out().contains("--bootstrap-server"), help.out());
            assertTrue(help.out().contains("--command-timeout-ms"), help.out());
        }
    }

    @Test
    void versionComesFromTheBuild() {
        Cli.Result version = Cli.run("--version").assertSuccess();

        assertTrue(version.out().matches("tributary \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), version.out());
    }

    @Test
    void aMissingSubcommandIsAUsageError() {
        Cli.Result result = Cli.run();

        assertEquals(2, result.exitCode());
        assertEquals("Error: Missing required subcommand", result.err().lines().findFirst().orElseThrow());
        assertTrue(result.err().contains("Usage: tributary [-hV] [COMMAND]"), result.err());
    }

    @Test
    void anUnknownSubcommandIsAUsageErrorWithSuggestions() {
        Cli.Result result = Cli.run("console-consumr");

        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("Error: Unmatched argument at index 0: 'console-consumr'"), result.err());
        assertTrue(result.err().contains("console-consumer"), result.err());
    }

    @Test
    void anUnknownFlagIsAUsageErrorWithTheSubcommandsUsage() {
        Cli.Result result = Cli.run("get-offsets", "--topic", "t", "--bogus");

        assertEquals(2, result.exitCode());
        assertEquals("Error: Unknown option: '--bogus'", result.err().lines().findFirst().orElseThrow());
        assertTrue(result.err().contains("Usage: tributary get-offsets"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void missingRequiredOptionsAndBadValuesAreUsageErrors() {
        Cli.Result noTopic = Cli.run("console-consumer");
        Cli.Result notANumber = Cli.run("producer-perf-test", "--topic", "t", "--num-records", "many",
                "--record-size", "1", "--throughput", "-1");
        Cli.Result notKeyValue = Cli.run("console-producer", "--topic", "t", "--producer-property", "acks");
        Cli.Result zeroThroughput = Cli.run("producer-perf-test", "--topic", "t", "--num-records", "1",
                "--record-size", "1", "--throughput", "0");
        Cli.Result badTimeout = Cli.run("get-offsets", "--topic", "t", "--command-timeout-ms", "0");

        assertUsage(noTopic, "Error: Missing required option: '--topic=TOPIC'");
        assertUsage(notANumber, "Error: Invalid value for option '--num-records': 'many' is not a long");
        assertUsage(notKeyValue, "Error: Value for option option '--producer-property' (KEY=VALUE) should be in KEY=VALUE "
                + "format but was acks");
        assertUsage(zeroThroughput, "Error: --throughput must be positive, or -1 for no limit");
        assertUsage(badTimeout, "Error: --command-timeout-ms must be positive, got 0");
    }

    @Test
    void aMissingClientPropertiesFileIsAUsageError() {
        Path missing = dir.resolve("missing.properties");

        Cli.Result result = Cli.run("console-consumer", "--topic", "t", "--consumer.config", missing.toString());

        assertUsage(result, "Error: --consumer.config: the properties file " + missing + " does not exist");
    }

    private static void assertUsage(Cli.Result result, String firstLine) {
        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(firstLine, result.err().lines().findFirst().orElseThrow(), result.toString());
        assertTrue(result.err().contains("Usage: tributary "), result.err());
    }
}
