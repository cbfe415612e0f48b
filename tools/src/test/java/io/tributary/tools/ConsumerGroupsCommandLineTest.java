package io.tributary.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mistakes in {@code consumer-groups} command lines: each is a usage error (exit 2) found before
 * connecting; the bootstrap address is one nothing listens on, so a command that tried to connect
 * would fail differently.
 */
@Tag("unit")
class ConsumerGroupsCommandLineTest {

    private static final String NOWHERE = "127.0.0.1:1";
    private static final String SPECS = "--to-earliest, --to-latest, --to-current, --to-offset, --to-datetime, "
            + "--shift-by, --by-duration";

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("no action", "Error: Missing required argument (specify one of these): "
                        + "(--list | --describe | --reset-offsets | --delete | --delete-offsets)", new String[] {}),
                Arguments.of("two actions", "Error: --list, --describe are mutually exclusive (specify only one)",
                        new String[] {"--list", "--describe"}),
                Arguments.of("describe without a group", "Error: --describe needs --group GROUP or --all-groups",
                        new String[] {"--describe"}),
                Arguments.of("group and all groups", "Error: --group and --all-groups cannot be used together",
                        new String[] {"--describe", "--group", "g", "--all-groups"}),
                Arguments.of("list with a group", "Error: --group and --all-groups are not valid with --list",
                        new String[] {"--list", "--group", "g"}),
                Arguments.of("reset without a scope", "Error: --reset-offsets needs a scope: --topic TOPIC[:P,P...] or "
                        + "--all-topics", new String[] {"--reset-offsets", "--group", "g", "--to-earliest"}),
                Arguments.of("reset with two scopes", "Error: --topic and --all-topics cannot be used together",
                        new String[] {"--reset-offsets", "--group", "g", "--to-earliest", "--topic", "t", "--all-topics"}),
                Arguments.of("reset without a spec", "Error: --reset-offsets needs one of " + SPECS,
                        new String[] {"--reset-offsets", "--group", "g", "--all-topics"}),
                Arguments.of("reset with two specs", "Error: --reset-offsets takes exactly one of " + SPECS
                        + "; got --to-earliest and --shift-by", new String[] {"--reset-offsets", "--group", "g",
                            "--all-topics", "--to-earliest", "--shift-by", "-2"}),
                Arguments.of("dry run and execute", "Error: --dry-run and --execute cannot be used together",
                        new String[] {"--reset-offsets", "--group", "g", "--all-topics", "--to-latest", "--dry-run",
                            "--execute"}),
                Arguments.of("execute without reset", "Error: --to-*, --shift-by, --by-duration, --dry-run and "
                        + "--execute are only valid with --reset-offsets", new String[] {"--delete", "--group", "g",
                            "--execute"}),
                Arguments.of("bad date-time", "Error: --to-datetime must look like 2024-01-31T13:45:00.000 (UTC unless "
                        + "an offset such as Z or +01:00 follows); got '31/01/2024'", new String[] {"--reset-offsets",
                            "--group", "g", "--all-topics", "--to-datetime", "31/01/2024"}),
                Arguments.of("bad duration", "Error: --by-duration must be an ISO-8601 duration PnDTnHnMnS such as "
                        + "P1DT2H or PT30M; got '2h'", new String[] {"--reset-offsets", "--group", "g", "--all-topics",
                            "--by-duration", "2h"}),
                Arguments.of("non-numeric offset", "Error: Invalid value for option '--to-offset': 'ten' is not a long",
                        new String[] {"--reset-offsets", "--group", "g", "--all-topics", "--to-offset", "ten"}),
                Arguments.of("bad partition list", "Error: --topic partitions must be numbers >= 0, as in t:0,2; "
                        + "got 't:one'", new String[] {"--reset-offsets", "--group", "g", "--topic", "t:one",
                            "--to-latest"}),
                Arguments.of("topic with describe", "Error: --topic is only valid with --reset-offsets and "
                        + "--delete-offsets", new String[] {"--describe", "--group", "g", "--topic", "t"}),
                Arguments.of("all topics with delete-offsets", "Error: --all-topics is only valid with --reset-offsets",
                        new String[] {"--delete-offsets", "--group", "g", "--all-topics"}),
                Arguments.of("delete-offsets of two groups", "Error: --delete-offsets needs exactly one --group",
                        new String[] {"--delete-offsets", "--group", "a", "--group", "b", "--topic", "t"}),
                Arguments.of("delete-offsets without a topic", "Error: --delete-offsets needs --topic TOPIC[:P,P...]",
                        new String[] {"--delete-offsets", "--group", "g"}),
                Arguments.of("two describe views", "Error: --offsets, --members and --state cannot be used together",
                        new String[] {"--describe", "--group", "g", "--members", "--state"}),
                Arguments.of("state value with describe", "Error: --state takes no value with --describe (states "
                        + "filter only --list); got 'Stable'", new String[] {"--describe", "--group", "g", "--state",
                            "Stable"}),
                Arguments.of("unknown state", "Error: --state takes Empty, Assigning, Reconciling or Stable "
                        + "(comma-separated); got 'Dead'", new String[] {"--list", "--state", "Stable,Dead"}),
                Arguments.of("verbose alone", "Error: --verbose is only valid with --describe --members and --describe "
                        + "--state", new String[] {"--describe", "--group", "g", "--verbose"}),
                Arguments.of("members with list", "Error: --offsets and --members are only valid with --describe",
                        new String[] {"--list", "--members"}),
                Arguments.of("state with delete", "Error: --state is only valid with --list and --describe",
                        new String[] {"--delete", "--group", "g", "--state"}),
                Arguments.of("unknown output", "Error: --output must be text or json; got 'yaml'",
                        new String[] {"--list", "--output", "yaml"}),
                Arguments.of("json with delete", "Error: --output json is only valid with --list and --describe",
                        new String[] {"--delete", "--group", "g", "--output", "json"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakesAreUsageErrorsFoundBeforeConnecting(String name, String firstLine, String[] options) {
        Cli.Result result = Cli.runAgainst(NOWHERE, "consumer-groups", options);

        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(firstLine, result.err().lines().findFirst().orElseThrow(), result.toString());
        assertTrue(result.err().contains("Usage: tributary consumer-groups"), result.err());
        assertEquals("", result.out());
    }

    @Test
    void helpDescribesEveryActionAndResetSpec() {
        String help = Cli.run("consumer-groups", "--help").assertSuccess().out();

        for (String option : new String[] {"--list", "--describe", "--reset-offsets", "--delete", "--delete-offsets",
            "--to-earliest", "--to-latest", "--to-current", "--to-offset", "--to-datetime", "--shift-by",
            "--by-duration", "--dry-run", "--execute", "--all-topics", "--all-groups", "--members", "--state",
            "--verbose", "--output", "--command-config"}) {
            assertTrue(help.contains(option), option + " missing from\n" + help);
        }
    }
}
