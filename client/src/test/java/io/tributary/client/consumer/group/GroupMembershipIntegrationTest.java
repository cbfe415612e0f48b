package io.tributary.client.consumer.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.SubscriptionPattern;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.CommitFailedException;
import io.tributary.common.errors.FencedInstanceIdException;
import io.tributary.common.errors.InvalidRegularExpressionException;
import io.tributary.proto.v1.GroupDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Membership against a real node: members that stop polling, static members, fencing, patterns. */
@Tag("integration")
class GroupMembershipIntegrationTest extends GroupNodeTest {

    private static final String TOPIC = "orders";

    @BeforeEach
    void createTopic() {
        node.createTopic(TOPIC, 6, Map.of());
    }

    @Test
    void aMemberThatStopsPollingIsRemovedItsPartitionsHandedOverAndItRejoinsAtItsNextPoll() {
        OwnershipLog log = new OwnershipLog();
        GroupMember slow = new GroupMember("slow", GroupTestSupport.consumerConfig(node, "g", "max.poll.interval.ms",
                "1500"), List.of(TOPIC), log);
        GroupMember steady = new GroupMember("steady", GroupTestSupport.consumerConfig(node, "g"), List.of(TOPIC), log);
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.owned.size() == 3 && steady.owned.size() == 3);
        Set<TopicPartition> slowOwned = Set.copyOf(slow.owned);

        long beforeStall = log.mark();
        slow.stall();
        await().atMost(Duration.ofSeconds(20)).until(() -> steady.owned.size() == 6);
        assertEquals(1, GroupTestSupport.describe(node, "g").getMembersCount(), "the stalled member left the group");
        slow.onThread(consumer -> assertThrows(CommitFailedException.class,
                () -> consumer.commitSync(Map.of(slowOwned.iterator().next(), new OffsetAndMetadata(0)))));
        slow.resume();
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.owned.size() == 3 && steady.owned.size() == 3);
        List<OwnershipLog.Event> lost = log.of("slow", OwnershipLog.Kind.LOST, beforeStall);
        assertEquals(slowOwned, Set.copyOf(lost.stream().map(OwnershipLog.Event::partition).toList()),
                "the next poll tells the listener the partitions were lost");
        slow.close();
        steady.close();
    }

    @Test
    void aStaticMemberRestartingWithinItsSessionTimeoutKeepsItsPartitionsWithoutARebalance() {
        OwnershipLog log = new OwnershipLog();
        Map<String, Object> staticConfig = GroupTestSupport.consumerConfig(node, "g", "group.instance.id",
                "instance-1", "session.timeout.ms", "10000");
        GroupMember first = new GroupMember("static", staticConfig, List.of(TOPIC), log);
        GroupMember other = new GroupMember("other", GroupTestSupport.consumerConfig(node, "g"), List.of(TOPIC), log);
        await().atMost(Duration.ofSeconds(20)).until(() -> first.owned.size() == 3 && other.owned.size() == 3
                && "Stable".equals(GroupTestSupport.describe(node, "g").getState()));
        Set<TopicPartition> staticOwned = Set.copyOf(first.owned);
        int groupEpoch = GroupTestSupport.describe(node, "g").getGroupEpoch();
        long beforeRestart = log.mark();

        first.close();
        GroupMember restarted = new GroupMember("static", staticConfig, List.of(TOPIC), log);
        await().atMost(Duration.ofSeconds(20)).until(() -> restarted.owned.size() == 3);
        assertEquals(staticOwned, Set.copyOf(restarted.owned));
        GroupDescription after = GroupTestSupport.describe(node, "g");
        assertEquals(groupEpoch, after.getGroupEpoch(), "no rebalance: the group epoch is unchanged");
        assertEquals(2, after.getMembersCount());
        assertEquals(List.of(), log.of("other", OwnershipLog.Kind.REVOKED, beforeRestart));
        assertEquals(List.of(), log.of("other", OwnershipLog.Kind.ASSIGNED, beforeRestart));
        restarted.close();
        other.close();
        log.assertExclusiveOwnership();
    }

    @Test
    void aMemberReplacedByAnotherWithItsInstanceIdIsFencedAndPollThrows() {
        Map<String, Object> config = GroupTestSupport.consumerConfig(node, "g", "group.instance.id", "instance-1");
        try (TributaryConsumer<String, String> first = new TributaryConsumer<>(config);
             TributaryConsumer<String, String> second = new TributaryConsumer<>(config)) {
            first.subscribe(List.of(TOPIC));
            GroupTestSupport.awaitAssignment(first, 6);
            second.subscribe(List.of(TOPIC));
            GroupTestSupport.awaitAssignment(second, 6);
            TopicPartition p0 = new TopicPartition(TOPIC, 0);
            assertThrows(CommitFailedException.class, () -> first.commitSync(Map.of(p0, new OffsetAndMetadata(1))),
                    "the replaced member's id is gone: its commit is refused");
            assertNull(second.committed(Set.of(p0)).get(p0));
            FencedInstanceIdException fenced = assertThrows(FencedInstanceIdException.class, () -> {
                while (true) {
                    first.poll(Duration.ofMillis(50));
                }
            });
            assertTrue(fenced.getMessage().contains("instance-1"), fenced.getMessage());
            assertEquals(Set.of(), first.assignment(), "a fenced member has lost its partitions");
        }
    }

    @Test
    void aPatternSubscriptionGetsTheMatchingTopicsAndAnInvalidOneFailsPoll() {
        node.createTopic("orders-eu", 2, Map.of());
        node.createTopic("payments", 2, Map.of());
        List<Collection<TopicPartition>> assigned = new ArrayList<>();
        try (TributaryConsumer<String, String> consumer =
                     new TributaryConsumer<>(GroupTestSupport.consumerConfig(node, "g"))) {
            consumer.subscribe(Pattern.compile("ORDERS.*", Pattern.CASE_INSENSITIVE), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.add(partitions);
                }
            });
            GroupTestSupport.awaitAssignment(consumer, 8);
            assertEquals(Set.of("orders", "orders-eu"), consumer.subscription());

            consumer.subscribe(new SubscriptionPattern("orders("));
            InvalidRegularExpressionException invalid = assertThrows(InvalidRegularExpressionException.class, () -> {
                while (true) {
                    consumer.poll(Duration.ofMillis(50));
                }
            });
            assertTrue(invalid.getMessage().contains("orders("), invalid.getMessage());
            assertEquals(8, assigned.stream().mapToInt(Collection::size).sum(),
                "the listener heard of every matching partition: " + assigned);
        }
    }

    @Test
    void enforceRebalanceBumpsTheGroupEpochWithoutMovingPartitions() {
        try (TributaryConsumer<String, String> consumer =
                     new TributaryConsumer<>(GroupTestSupport.consumerConfig(node, "g"))) {
            consumer.subscribe(List.of(TOPIC));
            GroupTestSupport.awaitAssignment(consumer, 6);
            int epoch = GroupTestSupport.describe(node, "g").getGroupEpoch();
            consumer.enforceRebalance();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(50));
                return GroupTestSupport.describe(node, "g").getGroupEpoch() > epoch;
            });
            assertEquals(6, consumer.assignment().size());
            assertEquals(consumer.groupMetadata().generationId(),
                    GroupTestSupport.describe(node, "g").getMembers(0).getMemberEpoch());
        }
    }
}
