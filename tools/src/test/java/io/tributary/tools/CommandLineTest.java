package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Help, version and mistakes in the command line: nothing here reaches a server. */
@Tag("unit")
class CommandLineTest {

    private static final Map<String, CommandLine> SUBCOMMANDS = Cli.commands();

    @TempDir
    Path dir;

    static Stream<String> subcommandNames() {
        return SUBCOMMANDS.keySet().stream();
    }

    @Test
    void helpListsEverySubcommand() {
        Cli.Result help = Cli.run("--help").assertSuccess();

        for (String subcommand : SUBCOMMANDS.keySet().stream().filter(name -> !name.contains(" ")).toList()) {
            assertTrue(help.out().contains("  " + subcommand + " "), subcommand + " missing from\n" + help.out());
        }
        assertEquals("", help.err());
    }

    @ParameterizedTest
    @MethodSource("subcommandNames")
    void everySubcommandHasHelp(String subcommand) {
        List<String> args = new ArrayList<>(List.of(subcommand.split(" ")));
        args.add("--help");

        Cli.Result help = Cli.run(args.toArray(String[]::new)).assertSuccess();

        assertTrue(help.out().startsWith("Usage: tributary " + subcommand), help.out());
        if (takesBootstrapServer(SUBCOMMANDS.get(subcommand))) {
            assertTrue(help.out().contains("--command-timeout-ms"), help.out());
        }
    }

    @Test
    void everyClientCommandIsTriedAgainstAnUnreachableCluster() {
        Set<String> clientCommands = SUBCOMMANDS.entrySet().stream().filter(e -> takesBootstrapServer(e.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));

        assertTrue(clientCommands.contains("topics"), clientCommands.toString());
        assertEquals(clientCommands, new TreeSet<>(UnreachableServerIntegrationTest.ACTIONS.keySet()));
    }

    private static boolean takesBootstrapServer(CommandLine command) {
        return command.getCommandSpec().findOption("--bootstrap-server") != null;
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
