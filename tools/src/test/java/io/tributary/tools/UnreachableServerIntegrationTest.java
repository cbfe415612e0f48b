package io.tributary.tools;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Nothing listens on 127.0.0.1:1: every client command gives up after --command-timeout-ms and says why. */
@Tag("integration")
class UnreachableServerIntegrationTest {

    private static final String EXPECTED = "Error: no answer from 127.0.0.1:1 within 1500 ms (is a node running there? "
            + "--command-timeout-ms sets the limit): ";

    /** Stands for a delete-records offset file, written for the test. */
    private static final String OFFSETS_FILE = "<offsets.json>";

    @TempDir
    Path dir;

    /**
     * Per client command (its full name, as {@code tributary} nests it), every action tried here. A unit
     * test ({@code CommandLineTest}) checks that each command taking {@code --bootstrap-server} has a row.
     */
    static final Map<String, List<String>> ACTIONS = Map.ofEntries(
            entry("topics", List.of("--create --topic t --partitions 1 --replication-factor 1", "--list",
                    "--describe --topic t", "--describe --output json", "--alter --topic t --partitions 2",
                    "--delete --topic t")),
            entry("console-producer", List.of("--topic t")),
            entry("console-consumer", List.of("--topic t", "--topic t --group g --from-beginning")),
            entry("get-offsets", List.of("--topic t", "--topic t --time earliest")),
            entry("producer-perf-test", List.of("--topic t --num-records 1 --record-size 1 --throughput -1")),
            entry("consumer-perf-test", List.of("--topic t --messages 1")),
            entry("e2e-latency", List.of("--topic t --num-records 1 --record-size 1")),
            entry("leader-election", List.of("--topic t --partition 0 --election-type preferred",
                    "--all-topic-partitions --election-type unclean")),
            entry("configs", List.of("--describe --topic t", "--describe --broker 1",
                    "--alter --broker-defaults --add-config log.retention.ms=1")),
            entry("cluster describe", List.of("", "--include-fenced-brokers --output json")),
            entry("cluster cluster-id", List.of("")),
            entry("metadata-quorum describe", List.of("--status", "--replication --output json")),
            entry("delete-records", List.of("--offset-json-file " + OFFSETS_FILE)),
            entry("consumer-groups", List.of("--list", "--list --state Stable --output json", "--describe --group g",
                    "--describe --all-groups --members", "--describe --group g --state", "--delete --group g",
                    "--delete-offsets --group g --topic t", "--reset-offsets --group g --topic t --to-earliest",
                    "--reset-offsets --group g --all-topics --to-latest --execute")));

    static Stream<Arguments> actions() {
        return ACTIONS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .flatMap(command -> command.getValue().stream().map(options -> Arguments.of(command.getKey(), options)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("actions")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyClientActionFailsWithinTheTimeoutAndNamesTheAddress(String command, String options) throws IOException {
        Path offsets = Files.writeString(dir.resolve("offsets.json"),
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"offset\":1}],\"version\":1}");
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--bootstrap-server", "127.0.0.1:1", "--command-timeout-ms", "1500"));
        if (!options.isEmpty()) {
            args.addAll(List.of(options.replace(OFFSETS_FILE, offsets.toString()).split(" ")));
        }

        Cli.Result result = Cli.runWithInput("x\n", args.toArray(String[]::new));

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith(EXPECTED), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }
}
