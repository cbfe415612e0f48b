package io.tributary.client.admin;

import static io.tributary.client.admin.AdminIntegrationTest.failure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.GroupIdNotFoundException;
import io.tributary.common.errors.GroupNotEmptyException;
import io.tributary.common.errors.GroupSubscribedToTopicException;
import io.tributary.common.errors.InvalidGroupIdException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer-group administration against one real node's coordinator (each test uses its own groups). */
@Tag("integration")
class GroupAdminIntegrationTest {

    /** Small __consumer_offsets, and heartbeats often enough for a member to settle quickly. */
    static final Map<String, String> GROUP_CONFIG = Map.of("offsets.topic.num.partitions", "3",
            "group.consumer.heartbeat.interval.ms", "100");

    @TempDir
    static Path dir;
    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() {
        node = new TestNode(dir, GROUP_CONFIG);
        node.createTopic("orders", 2, Map.of());
        node.createTopic("payments", 1, Map.of());
        admin = Admin.create(Map.of("bootstrap.servers", node.bootstrap(), "client.id", "group-admin-it"));
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    static final TopicPartition PAYMENTS_0 = new TopicPartition("payments", 0);

    @Test
    void committedOffsetsOfAnEmptyGroupCanBeListedDescribedDeletedAndTheGroupWithThem() throws Exception {
        admin.alterConsumerGroupOffsets("empty", Map.of(ORDERS_0, new OffsetAndMetadata(5, Optional.of(0), "note"),
                ORDERS_1, new OffsetAndMetadata(7), PAYMENTS_0, new OffsetAndMetadata(0))).all().get();

        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("empty")
                .partitionsToOffsetAndMetadata().get();
        assertEquals(Map.of(ORDERS_0, new OffsetAndMetadata(5, Optional.of(0), "note"), ORDERS_1,
                new OffsetAndMetadata(7), PAYMENTS_0, new OffsetAndMetadata(0)), offsets);
        assertEquals(List.of(ORDERS_0, ORDERS_1, PAYMENTS_0), List.copyOf(offsets.keySet()));
        ConsumerGroupDescription described = admin.describeConsumerGroups(List.of("empty")).all().get().get("empty");
        assertEquals(ConsumerGroupState.EMPTY, described.state());
        assertEquals(List.of(), described.members());
        assertEquals(node.port(), described.coordinator().port());
        assertTrue(admin.listConsumerGroups().all().get().contains(new ConsumerGroupListing("empty",
                ConsumerGroupState.EMPTY)));
        assertFalse(admin.listConsumerGroups(new ListConsumerGroupsOptions().inStates(Set.of(ConsumerGroupState.STABLE)))
                .all().get().stream().anyMatch(g -> g.groupId().equals("empty")));

        admin.deleteConsumerGroupOffsets("empty", Set.of(ORDERS_0, PAYMENTS_0)).all().get();
        assertEquals(Map.of(ORDERS_1, new OffsetAndMetadata(7)), admin.listConsumerGroupOffsets("empty")
                .partitionsToOffsetAndMetadata().get());

        admin.deleteConsumerGroups(List.of("empty")).all().get();
        assertInstanceOf(GroupIdNotFoundException.class, failure(admin.describeConsumerGroups(List.of("empty")).all()));
        assertEquals(Map.of(), admin.listConsumerGroupOffsets("empty").partitionsToOffsetAndMetadata().get());
    }

    @Test
    void aGroupWithAMemberIsDescribedAndRefusesAdminCommitsAndDeletion() throws Exception {
        try (ProtocolMember member = new ProtocolMember(node.bootstrap(), "active", "member-1", "client-1",
                List.of("orders"))) {
            ConsumerGroupDescription stable = awaitState("active", ConsumerGroupState.STABLE);
            assertEquals(Set.of(ORDERS_0, ORDERS_1), member.assignment(), member.lastError());
            MemberDescription described = stable.members().getFirst();
            assertEquals("member-1", described.memberId());
            assertEquals("client-1", described.clientId());
            assertFalse(described.host().isEmpty());
            assertEquals(Optional.empty(), described.groupInstanceId());
            assertEquals(Set.of(ORDERS_0, ORDERS_1), described.assignment());
            assertEquals(described.assignment(), described.targetAssignment());
            assertEquals(stable.groupEpoch(), stable.assignmentEpoch());
            assertFalse(stable.partitionAssignor().isEmpty());

            AlterConsumerGroupOffsetsResult refused = admin.alterConsumerGroupOffsets("active",
                    Map.of(ORDERS_0, new OffsetAndMetadata(1)));
            assertInstanceOf(GroupNotEmptyException.class, failure(refused.partitionResult(ORDERS_0)));
            assertInstanceOf(GroupNotEmptyException.class, failure(admin.deleteConsumerGroups(List.of("active")).all()));
            assertEquals(Map.of(), admin.listConsumerGroupOffsets("active").partitionsToOffsetAndMetadata().get());
        }
        awaitState("active", ConsumerGroupState.EMPTY);
        admin.deleteConsumerGroups(List.of("active")).all().get();
    }

    @Test
    void offsetsOfATopicAMemberSubscribesToAreKept() throws Exception {
        admin.alterConsumerGroupOffsets("subscribed", Map.of(ORDERS_0, new OffsetAndMetadata(3),
                PAYMENTS_0, new OffsetAndMetadata(4))).all().get();
        try (ProtocolMember member = new ProtocolMember(node.bootstrap(), "subscribed", "m", "c", List.of("orders"))) {
            awaitState("subscribed", ConsumerGroupState.STABLE);
            assertEquals(Set.of(ORDERS_0, ORDERS_1), member.assignment(), member.lastError());

            DeleteConsumerGroupOffsetsResult result = admin.deleteConsumerGroupOffsets("subscribed",
                    Set.of(ORDERS_0, PAYMENTS_0));

            assertInstanceOf(GroupSubscribedToTopicException.class, failure(result.partitionResult(ORDERS_0)));
            result.partitionResult(PAYMENTS_0).get();
            assertEquals(Map.of(ORDERS_0, new OffsetAndMetadata(3)), admin.listConsumerGroupOffsets("subscribed")
                    .partitionsToOffsetAndMetadata().get());
        }
    }

    @Test
    void unknownGroupsInvalidIdsAndUnknownPartitionsFailWithTheirExceptions() {
        assertInstanceOf(GroupIdNotFoundException.class, failure(admin.describeConsumerGroups(List.of("nobody"))
                .describedGroups().get("nobody")));
        assertInstanceOf(GroupIdNotFoundException.class, failure(admin.deleteConsumerGroups(List.of("nobody")).all()));
        assertInstanceOf(GroupIdNotFoundException.class, failure(admin.deleteConsumerGroupOffsets("nobody",
                Set.of(ORDERS_0)).all()));
        assertInstanceOf(InvalidGroupIdException.class, failure(admin.describeConsumerGroups(List.of("")).all()));
        TopicPartition missing = new TopicPartition("no-such-topic", 0);
        AlterConsumerGroupOffsetsResult partly = admin.alterConsumerGroupOffsets("partly", Map.of(ORDERS_0,
                new OffsetAndMetadata(1), missing, new OffsetAndMetadata(1)));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(partly.partitionResult(missing)));
    }

    /** Waits until the group is in {@code state}; returns its description then. */
    static ConsumerGroupDescription awaitState(String groupId, ConsumerGroupState state) {
        ConsumerGroupDescription[] last = new ConsumerGroupDescription[1];
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            last[0] = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
            return last[0].state() == state;
        });
        return last[0];
    }
}
