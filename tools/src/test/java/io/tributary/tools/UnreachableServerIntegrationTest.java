package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing listens on 127.0.0.1:1: every client command gives up after --command-timeout-ms and says why. */
@Tag("integration")
class UnreachableServerIntegrationTest {

    private static final String EXPECTED = "Error: no answer from 127.0.0.1:1 within 1500 ms (is a node running there? "
            + "--command-timeout-ms sets the limit): ";

    @ParameterizedTest
    @ValueSource(strings = {"topics", "console-producer", "console-consumer", "get-offsets", "producer-perf-test",
        "consumer-perf-test", "leader-election", "consumer-groups"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void clientCommandsFailWithinTheTimeoutAndNameTheAddress(String command) {
        List<String> args = new ArrayList<>(List.of(command, "--bootstrap-server", "127.0.0.1:1",
                "--command-timeout-ms", "1500", "--topic", "t"));
        switch (command) {
            case "consumer-groups" -> args.addAll(List.of("--reset-offsets", "--group", "g", "--to-earliest"));
            case "producer-perf-test" -> args.addAll(List.of("--num-records", "1", "--record-size", "1", "--throughput", "-1"));
            case "consumer-perf-test" -> args.addAll(List.of("--messages", "1"));
            case "topics" -> args.add("--describe");
            case "leader-election" -> args.addAll(List.of("--partition", "0", "--election-type", "preferred"));
            default -> { }
        }

        Cli.Result result = Cli.runWithInput("x\n", args.toArray(String[]::new));

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith(EXPECTED), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--list", "--list --state Stable --output json", "--describe --group g",
        "--describe --all-groups --members", "--describe --group g --state", "--delete --group g",
        "--delete-offsets --group g --topic t", "--reset-offsets --group g --all-topics --to-latest --execute"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyConsumerGroupsActionFailsWithinTheTimeoutAndNamesTheAddress(String options) {
        List<String> args = new ArrayList<>(List.of("consumer-groups", "--bootstrap-server", "127.0.0.1:1",
                "--command-timeout-ms", "1500"));
        args.addAll(List.of(options.split(" ")));

        Cli.Result result = Cli.run(args.toArray(String[]::new));

        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith(EXPECTED), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
        assertEquals("", result.out());
    }
}
