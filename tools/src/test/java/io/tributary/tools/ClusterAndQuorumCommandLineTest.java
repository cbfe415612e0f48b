package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage mistakes and an unreachable cluster for cluster, metadata-quorum and topics --output json. */
@Tag("integration")
class ClusterAndQuorumCommandLineTest {

    private static final String UNREACHABLE = "Error: no answer from 127.0.0.1:1 within 1500 ms (is a node running "
            + "there? --command-timeout-ms sets the limit): ";

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
        "cluster#Error: Missing required subcommand",
        "metadata-quorum#Error: Missing required subcommand",
        "metadata-quorum describe#Error: Missing required argument (specify one of these): (--status | --replication)",
        "metadata-quorum describe --status --replication#Error: --status, --replication are mutually exclusive "
            + "(specify only one)",
        "metadata-quorum describe --status --output xml#Error: --output must be text or json; got 'xml'",
        "metadata-quorum describe --status --human-readable#Error: --human-readable is only valid with --replication "
            + "and text output",
        "metadata-quorum describe --replication --human-readable --output json#Error: --human-readable is only valid "
            + "with --replication and text output",
        "cluster describe --output yaml#Error: --output must be text or json; got 'yaml'",
        "cluster cluster-id --include-fenced-brokers#Error: Unknown option: '--include-fenced-brokers'",
        "topics --list --output json#Error: --output json is only valid with --describe",
        "topics --describe --output csv#Error: --output must be text or json; got 'csv'"})
    void badArgumentsAreUsageErrors(String args, String firstLine) {
        Cli.Result result = Cli.run(args.split(" "));

        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(firstLine, result.err().lines().findFirst().orElseThrow(), result.toString());
        assertTrue(result.err().contains("Usage: tributary "), result.err());
        assertEquals("", result.out());
    }

    @Test
    void helpDescribesTheSubcommands() {
        String help = Cli.run("--help").assertSuccess().out();
        assertTrue(help.contains("  cluster ") && help.contains("  metadata-quorum "), help);
        assertTrue(Cli.run("cluster", "--help").assertSuccess().out().contains("cluster-id"));
        String quorumHelp = Cli.run("metadata-quorum", "describe", "--help").assertSuccess().out();
        assertTrue(quorumHelp.contains("--replication") && quorumHelp.contains("--bootstrap-server"), quorumHelp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cluster cluster-id", "cluster describe", "cluster describe --output json",
        "metadata-quorum describe --status", "metadata-quorum describe --replication --output json",
        "topics --describe --output json"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anUnreachableClusterFailsWithinTheTimeoutNamingTheAddress(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--bootstrap-server", "127.0.0.1:1", "--command-timeout-ms", "1500"));

        Cli.Result result = Cli.run(args.toArray(String[]::new));

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith(UNREACHABLE), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
        assertEquals("", result.out());
    }
}
