package io.tributary.tools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.admin.ConsumerGroupState;
import io.tributary.client.admin.ProtocolMember;
import io.tributary.common.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** consumer-groups --list, --describe, --delete and --delete-offsets against a real node (each test has its own groups). */
@Tag("integration")
class ConsumerGroupsIntegrationTest {

    @TempDir
    static Path dir;
    static GroupsNode node;

    static final TopicPartition LAG_0 = new TopicPartition("lag", 0);
    static final TopicPartition LAG_1 = new TopicPartition("lag", 1);
    static final TopicPartition MEMBERS_0 = new TopicPartition("members", 0);
    static final TopicPartition MEMBERS_1 = new TopicPartition("members", 1);

    @BeforeAll
    static void start() throws Exception {
        node = new GroupsNode(dir);
        node.createTopic("lag", 2);
        node.createTopic("members", 2);
        node.produce("lag", 0, 10, i -> System.currentTimeMillis());
        node.produce("lag", 1, 4, i -> System.currentTimeMillis());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    /** The lines of {@code text} after the first blank one, each split at runs of spaces. */
    static List<List<String>> table(String text) {
        List<String> lines = text.lines().toList();
        return lines.subList(lines.indexOf("") + 1, lines.size()).stream()
                .map(line -> Arrays.asList(line.split(" +"))).toList();
    }

    static void awaitState(String group, ConsumerGroupState state) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> node.admin()
                .describeConsumerGroups(List.of(group)).all().get().get(group).state() == state);
    }

    @Test
    void describeShowsCommittedOffsetLogEndAndLagPerPartition() throws Exception {
        node.commit("lagging", Map.of(LAG_0, 3L, LAG_1, 4L));

        Cli.Result described = node.groups("--describe", "--group", "lagging").assertSuccess();

        assertEquals(List.of(
                List.of("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST",
                        "CLIENT-ID"),
                List.of("lagging", "lag", "0", "3", "10", "7", "-", "-", "-"),
                List.of("lagging", "lag", "1", "4", "4", "0", "-", "-", "-")), table(described.out()));
        assertEquals("\nConsumer group 'lagging' has no active members.\n", described.err());
        assertEquals("[{\"group\":\"lagging\",\"state\":\"Empty\",\"partitions\":["
                        + "{\"topic\":\"lag\",\"partition\":0,\"currentOffset\":3,\"logEndOffset\":10,\"lag\":7,"
                        + "\"consumerId\":null,\"host\":null,\"clientId\":null},"
                        + "{\"topic\":\"lag\",\"partition\":1,\"currentOffset\":4,\"logEndOffset\":4,\"lag\":0,"
                        + "\"consumerId\":null,\"host\":null,\"clientId\":null}]}]\n",
                node.groups("--describe", "--group", "lagging", "--offsets", "--output", "json").assertSuccess().out());
    }

    @Test
    void describeShowsTheMembersOfAnActiveGroupInEachView() throws Exception {
        try (ProtocolMember member = new ProtocolMember(node.bootstrap(), "watched", "member-1", "client-1",
                List.of("members"))) {
            awaitState("watched", ConsumerGroupState.STABLE);
            assertEquals(Set.of(MEMBERS_0, MEMBERS_1), member.assignment(), member.lastError());

            List<List<String>> offsets = table(node.groups("--describe", "--group", "watched").assertSuccess().out());
            List<List<String>> members = table(node.groups("--describe", "--group", "watched", "--members",
                    "--verbose").assertSuccess().out());
            Cli.Result state = node.groups("--describe", "--group", "watched", "--state").assertSuccess();
            Cli.Result json = node.groups("--describe", "--group", "watched", "--members", "--output", "json")
                    .assertSuccess();

            String host = offsets.get(1).get(7);
            assertEquals(List.of("watched", "members", "0", "-", "0", "-", "member-1", host, "client-1"), offsets.get(1));
            assertEquals(List.of("watched", "members", "1", "-", "0", "-", "member-1", host, "client-1"), offsets.get(2));
            assertEquals(List.of("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS",
                    "EPOCH", "ASSIGNMENT", "TARGET-ASSIGNMENT"), members.get(0));
            List<String> row = members.get(1);
            assertEquals(List.of("watched", "member-1", "-", host, "client-1", "2"), row.subList(0, 6));
            assertEquals(List.of("members(0,1)", "members(0,1)"), row.subList(7, 9));
            assertTrue(state.out().contains("GROUP   COORDINATOR (ID)"), state.out());
            assertTrue(table(state.out()).get(1).containsAll(List.of("watched", node.bootstrap(), "(1)", "Stable", "1")),
                    state.out());
            assertTrue(json.out().startsWith("[{\"group\":\"watched\",\"state\":\"Stable\",\"members\":[{\"consumerId\":"
                    + "\"member-1\",\"groupInstanceId\":null,\"host\":\"" + host + "\",\"clientId\":\"client-1\","), json.out());
            assertTrue(json.out().contains("\"assignment\":[{\"topic\":\"members\",\"partition\":0},{\"topic\":\"members\","
                    + "\"partition\":1}]"), json.out());
            assertEquals("", state.err());
        }
    }

    @Test
    void listShowsGroupsWithTheirStatesAndFiltersByState() throws Exception {
        node.commit("listed", Map.of(LAG_0, 1L));
        try (ProtocolMember member = new ProtocolMember(node.bootstrap(), "listed-active", "m", "c",
                List.of("members"))) {
            awaitState("listed-active", ConsumerGroupState.STABLE);
            assertEquals(Set.of(MEMBERS_0, MEMBERS_1), member.assignment(), member.lastError());

            List<String> names = node.groups("--list").assertSuccess().out().lines().toList();
            List<List<String>> states = table("\n" + node.groups("--list", "--state").assertSuccess().out());
            String stable = node.groups("--list", "--state", "stable").assertSuccess().out();
            String json = node.groups("--list", "--state", "Empty,Stable", "--output", "json").assertSuccess().out();

            assertTrue(names.containsAll(List.of("listed", "listed-active")), names.toString());
            assertEquals(names.stream().sorted().toList(), names);
            assertEquals(List.of("GROUP", "STATE"), states.get(0));
            assertTrue(states.contains(List.of("listed", "Empty")), states.toString());
            assertTrue(states.contains(List.of("listed-active", "Stable")), states.toString());
            assertTrue(stable.contains("listed-active") && !stable.contains("listed "), stable);
            assertTrue(json.contains("{\"group\":\"listed\",\"state\":\"Empty\"}"), json);
            assertTrue(json.startsWith("[") && json.endsWith("]\n"), json);
        }
    }

    @Test
    void describingAGroupThatDoesNotExistFailsNamingIt() throws Exception {
        node.commit("present", Map.of(LAG_0, 2L));

        Cli.Result missing = node.groups("--describe", "--group", "nobody", "--state");
        Cli.Result mixed = node.groups("--describe", "--group", "present", "--group", "nobody", "--group", "nobody-2");
        Cli.Result all = node.groups("--describe", "--all-groups", "--state").assertSuccess();

        assertEquals(1, missing.exitCode(), missing.toString());
        assertEquals("Error: consumer group 'nobody' does not exist\n", missing.err());
        assertEquals(1, mixed.exitCode(), mixed.toString());
        assertTrue(mixed.out().contains("present lag   0         2"), mixed.out());
        assertTrue(mixed.err().endsWith("Error: consumer groups 'nobody', 'nobody-2' do not exist\n"), mixed.err());
        assertTrue(all.out().contains("\npresent "), all.out());
    }

    @Test
    void deleteRemovesEmptyGroupsAndRefusesActiveAndUnknownOnes() throws Exception {
        node.commit("doomed", Map.of(LAG_0, 2L));
        node.commit("doomed-too", Map.of(LAG_1, 2L));
        try (ProtocolMember member = new ProtocolMember(node.bootstrap(), "busy", "m", "c", List.of("members"))) {
            awaitState("busy", ConsumerGroupState.STABLE);
            assertEquals(Set.of(MEMBERS_0, MEMBERS_1), member.assignment(), member.lastError());

            Cli.Result deleted = node.groups("--delete", "--group", "doomed", "--group", "doomed-too").assertSuccess();
            Cli.Result refused = node.groups("--delete", "--group", "busy", "--group", "ghost");

            assertEquals("Deletion of requested consumer groups ('doomed', 'doomed-too') was successful.\n",
                    deleted.out());
            assertEquals(Map.of(), node.committed("doomed"));
            assertEquals(1, refused.exitCode(), refused.toString());
            List<String> errors = refused.err().lines().toList();
            assertEquals("Error: Deletion of some consumer groups failed:", errors.get(0));
            assertTrue(errors.get(1).startsWith("* Group 'busy' could not be deleted: consumer group 'busy' is not "
                    + "empty: it has active members"), errors.get(1));
            assertEquals("* Group 'ghost' could not be deleted: consumer group 'ghost' does not exist", errors.get(2));
            assertEquals(1, node.admin().describeConsumerGroups(List.of("busy")).all().get().get("busy").members()
                    .size());
        }
    }

    @Test
    void deleteOffsetsRemovesSomePartitionsAndReportsEachOutcome() throws Exception {
        node.commit("pruned", Map.of(LAG_0, 5L, LAG_1, 3L));
        node.commit("pruned-subscribed", Map.of(LAG_0, 1L, MEMBERS_0, 1L));

        Cli.Result deleted = node.groups("--delete-offsets", "--group", "pruned", "--topic", "lag:0").assertSuccess();
        Cli.Result unknownGroup = node.groups("--delete-offsets", "--group", "ghost", "--topic", "lag");
        Cli.Result unknownTopic = node.groups("--delete-offsets", "--group", "pruned", "--topic", "nope");
        Cli.Result badPartition = node.groups("--delete-offsets", "--group", "pruned", "--topic", "lag:7");

        assertEquals(List.of(List.of("TOPIC", "PARTITION", "STATUS"), List.of("lag", "0", "Successful")),
                table("\n" + deleted.out()));
        assertEquals(Map.of(LAG_1, 3L), node.committed("pruned"));
        assertEquals("Error: consumer group 'ghost' does not exist\n", unknownGroup.err());
        assertEquals("Error: topic 'nope' does not exist\n", unknownTopic.err());
        assertEquals("Error: topic 'lag' has no partition 7 (it has 2)\n", badPartition.err());
        assertEquals(List.of(1, 1, 1), List.of(unknownGroup.exitCode(), unknownTopic.exitCode(), badPartition.exitCode()));
        try (ProtocolMember member = new ProtocolMember(node.bootstrap(), "pruned-subscribed", "m", "c",
                List.of("members"))) {
            awaitState("pruned-subscribed", ConsumerGroupState.STABLE);
            assertEquals(Set.of(MEMBERS_0, MEMBERS_1), member.assignment(), member.lastError());

            Cli.Result partly = node.groups("--delete-offsets", "--group", "pruned-subscribed", "--topic", "lag",
                    "--topic", "members:0");

            assertEquals(1, partly.exitCode(), partly.toString());
            List<List<String>> rows = table("\n" + partly.out());
            assertEquals(List.of("lag", "0", "Successful"), rows.get(1));
            assertEquals(List.of("lag", "1", "Successful"), rows.get(2));
            assertEquals(List.of("members", "0", "Error:"), rows.get(3).subList(0, 3));
            assertEquals("Error: the offsets of 1 partition(s) of group 'pruned-subscribed' could not be deleted (see "
                    + "above)\n", partly.err());
            assertEquals(Map.of(MEMBERS_0, 1L), node.committed("pruned-subscribed"));
            assertFalse(partly.out().contains("Exception"), partly.out());
        }
    }
}
