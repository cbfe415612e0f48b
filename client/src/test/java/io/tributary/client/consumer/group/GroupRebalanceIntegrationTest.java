package io.tributary.client.consumer.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Consumers sharing a topic through a group on a real node: balanced, exclusive ownership (from the
 * members' own listener records), and only the partitions that must move move.
 */
@Tag("integration")
class GroupRebalanceIntegrationTest extends GroupNodeTest {

    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 6;

    @BeforeEach
    void createTopic() {
        node.createTopic(TOPIC, PARTITIONS, Map.of());
    }

    private GroupMember member(String name, OwnershipLog log) {
        return new GroupMember(name, GroupTestSupport.consumerConfig(node, "g"), List.of(TOPIC), log);
    }

    @Test
    void sixPartitionsThreeMembersExclusiveBalancedAndOnlyNecessaryMoves() {
        GroupTestSupport.produce(node, TOPIC, PARTITIONS, 10);
        OwnershipLog log = new OwnershipLog();
        GroupMember m1 = member("m1", log);
        GroupMember m2 = member("m2", log);
        GroupMember m3 = member("m3", log);
        awaitOwnership(List.of(m1, m2, m3), 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> consumedRecords(log).size() == 60);

        Set<TopicPartition> m1Before = Set.copyOf(m1.owned);
        Set<TopicPartition> m2Before = Set.copyOf(m2.owned);
        long beforeLeave = log.mark();
        m3.close();
        awaitOwnership(List.of(m1, m2), 3);
        assertTrue(m1.owned.containsAll(m1Before) && m2.owned.containsAll(m2Before),
                "members that stay keep their partitions when one leaves");
        assertEquals(List.of(), log.of("m1", OwnershipLog.Kind.REVOKED, beforeLeave));
        assertEquals(List.of(), log.of("m2", OwnershipLog.Kind.REVOKED, beforeLeave));

        long beforeJoin = log.mark();
        GroupMember m4 = member("m4", log);
        awaitOwnership(List.of(m1, m2, m4), 2);
        assertEquals(1, log.of("m1", OwnershipLog.Kind.REVOKED, beforeJoin).size(), "m1 gives up exactly one partition");
        assertEquals(1, log.of("m2", OwnershipLog.Kind.REVOKED, beforeJoin).size(), "m2 gives up exactly one partition");

        GroupTestSupport.produce(node, TOPIC, PARTITIONS, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> consumedRecords(log).size() == 120);
        m1.close();
        m2.close();
        m4.close();
        log.assertExclusiveOwnership();
        assertEquals(0, log.events().stream().filter(e -> e.kind() == OwnershipLog.Kind.LOST).count());
    }

    /** Waits until every member owns {@code each} partitions and together they own all of them. */
    private static void awaitOwnership(List<GroupMember> members, int each) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<TopicPartition> all = new HashSet<>();
            for (GroupMember member : members) {
                assertEquals(each, member.owned.size(), member.name + " owns " + member.ownedSorted());
                all.addAll(member.owned);
            }
            assertEquals(PARTITIONS, all.size());
        });
    }

    /** The distinct (partition, offset) pairs returned to any member. */
    private static Set<String> consumedRecords(OwnershipLog log) {
        return log.events().stream().filter(e -> e.kind() == OwnershipLog.Kind.CONSUMED)
                .map(e -> e.partition() + "@" + e.offset()).collect(Collectors.toSet());
    }
}
