package io.tributary.tools;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A mistake in the arguments of any command is a usage error (exit 2) whose first line names the
 * mistake, and nothing is written to standard output. None of these reach a server.
 */
@Tag("unit")
class BadArgumentsTest {

    /** Commands whose bad arguments are tested elsewhere, and where: they cannot run inside this JVM. */
    private static final Map<String, String> TESTED_ELSEWHERE = Map.of(
            "server", "ScriptSystemTest.aMissingServerConfigFileStopsStartUpWithExitCode2 (the node exits the JVM)");

    /** Per command (its full name), arguments with a mistake, each with the first line of the error. */
    private static final Map<String, List<Mistake>> MISTAKES = Map.ofEntries(
            entry("storage", List.of(new Mistake("", "Error: Missing required subcommand"))),
            entry("storage format", List.of(new Mistake("--cluster-id x", "Error: Missing required option: '--config=FILE'"))),
            entry("storage random-uuid", List.of(new Mistake("extra", "Error: Unmatched argument at index 2: 'extra'"))),
            entry("topics", List.of(
                    new Mistake("--create --topic t --partitions 0", "Error: --partitions and --replication-factor must be at least 1"),
                    new Mistake("--describe --list", "Error: --list, --describe are mutually exclusive (specify only one)"),
                    new Mistake("--list --output json", "Error: --output json is only valid with --describe"),
                    new Mistake("--describe --output csv", "Error: --output must be text or json; got 'csv'"))),
            entry("console-producer", List.of(new Mistake("--topic t --producer-property acks",
                    "Error: Value for option option '--producer-property' (KEY=VALUE) should be in KEY=VALUE format but was acks"))),
            entry("console-consumer", List.of(new Mistake("--topic t --offset 5", "Error: --offset needs --partition"))),
            entry("get-offsets", List.of(new Mistake("--topic t --time yesterday",
                    "Error: --time must be latest, earliest, max-timestamp, -1, -2, -3 or a timestamp in ms; got 'yesterday'"))),
            entry("producer-perf-test", List.of(new Mistake("--topic t",
                    "Error: Missing required options: '--num-records=N', '--record-size=BYTES', '--throughput=RECORDS/SEC'"))),
            entry("consumer-perf-test", List.of(new Mistake("--topic t --messages -1",
                    "Error: --messages, --timeout, --reporting-interval and --fetch-size must be positive"))),
            entry("e2e-latency", List.of(new Mistake("--topic t --num-records 0 --record-size 1",
                    "Error: --num-records and --record-size must be positive"))),
            entry("leader-election", List.of(new Mistake("--topic t --partition 0 --election-type sideways",
                    "Error: --election-type must be preferred or unclean; got 'sideways'"))),
            entry("consumer-groups", List.of(new Mistake("--describe", "Error: --describe needs --group GROUP or --all-groups"))),
            entry("configs", List.of(new Mistake("--alter --topic t",
                    "Error: --alter needs --add-config, --add-config-file or --delete-config"))),
            entry("cluster", List.of(new Mistake("", "Error: Missing required subcommand"))),
            entry("cluster describe", List.of(new Mistake("--output yaml", "Error: --output must be text or json; got 'yaml'"))),
            entry("cluster cluster-id", List.of(new Mistake("extra", "Error: Unmatched argument at index 2: 'extra'"),
                    new Mistake("--include-fenced-brokers", "Error: Unknown option: '--include-fenced-brokers'"))),
            entry("metadata-quorum", List.of(new Mistake("", "Error: Missing required subcommand"))),
            entry("metadata-quorum describe", List.of(
                    new Mistake("", "Error: Missing required argument (specify one of these): (--status | --replication)"),
                    new Mistake("--status --replication",
                            "Error: --status, --replication are mutually exclusive (specify only one)"),
                    new Mistake("--status --output xml", "Error: --output must be text or json; got 'xml'"),
                    new Mistake("--status --human-readable",
                            "Error: --human-readable is only valid with --replication and text output"),
                    new Mistake("--replication --human-readable --output json",
                            "Error: --human-readable is only valid with --replication and text output"))),
            entry("delete-records", List.of(new Mistake("", "Error: Missing required option: '--offset-json-file=FILE'"))),
            entry("dump-log", List.of(new Mistake("--print-data-log", "Error: Missing required option: '--files=FILE[,FILE...]'"))));

    private record Mistake(String options, String firstLine) {
    }

    static Stream<Arguments> mistakes() {
        return MISTAKES.entrySet().stream().sorted(Map.Entry.comparingByKey()).flatMap(command -> command.getValue().stream()
                .map(mistake -> Arguments.of(command.getKey(), mistake.options(), mistake.firstLine())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("mistakes")
    void aMistakeIsAUsageErrorThatNamesIt(String command, String options, String firstLine) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        if (!options.isEmpty()) {
            args.addAll(List.of(options.split(" ")));
        }

        Cli.Result result = Cli.run(args.toArray(String[]::new));

        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(firstLine, result.err().lines().findFirst().orElseThrow(), result.toString());
        assertTrue(result.err().contains("Usage: tributary " + command), result.err());
        assertEquals("", result.out());
    }

    @Test
    void everyCommandHasItsMistakesTested() {
        Set<String> commands = new TreeSet<>(Cli.commands().keySet());
        Set<String> tested = new TreeSet<>(MISTAKES.keySet());
        tested.addAll(TESTED_ELSEWHERE.keySet());

        assertFalse(commands.isEmpty());
        assertEquals(commands, tested);
    }
}
