package io.tributary.quorum.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Automatic preferred-leader rebalancing as pure logic: the imbalance per broker and the elections chosen. */
@Tag("unit")
class LeaderRebalanceTest {

    /** Broker 3 is up but has missed its session: it may not lead. */
    private static final IntPredicate LIVE = id -> id != 3;

    /**
     * Broker 1 is preferred for a-0..a-3 and leads only a-0: a-1 (led by 2) and a-3 (led by 3) have it in
     * sync, a-2 (led by 2) does not. Broker 2 is preferred for b-0..b-9 and leads all but b-0 (led by 3).
     * Broker 3 is preferred for c-0, led by 1.
     */
    private static MetadataImage image() {
        List<MetadataRecord> records = new ArrayList<>();
        topic(records, "a", List.of(
                partition("a", 0, List.of(1, 2, 3), List.of(1, 2, 3), 1),
                partition("a", 1, List.of(1, 2, 3), List.of(2, 1), 2),
                partition("a", 2, List.of(1, 2, 3), List.of(2, 3), 2),
                partition("a", 3, List.of(1, 3, 2), List.of(3, 1, 2), 3)));
        List<MetadataRecord> b = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            b.add(partition("b", p, List.of(2, 3, 1), List.of(2, 3, 1), p == 0 ? 3 : 2));
        }
        topic(records, "b", b);
        topic(records, "c", List.of(partition("c", 0, List.of(3, 1), List.of(3, 1), 1)));
        return Images.apply(Images.brokers(List.of(1, 2, 3), List.of()), records);
    }

    private static void topic(List<MetadataRecord> records, String name, List<MetadataRecord> partitions) {
        records.add(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name).setTopicId("id-" + name))
                .build());
        records.addAll(partitions);
    }

    private static MetadataRecord partition(String topic, int p, List<Integer> replicas, List<Integer> isr,
                                            int leader) {
        return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId("id-" + topic)
                .setPartition(p).addAllReplicas(replicas).addAllIsr(isr).setLeader(leader).setLeaderEpoch(2)
                .setPartitionEpoch(8)).build();
    }

    private static PartitionImage partition(MetadataImage image, String topic, int p) {
        return image.topic(topic).orElseThrow().partitions().get(p);
    }

    @Test
    void theImbalanceOfABrokerIsTheShareOfItsPreferredPartitionsLedElsewhere() {
        assertEquals(Map.of(1, new LeaderRebalance.Imbalance(1, 4, 3), 2, new LeaderRebalance.Imbalance(2, 10, 1),
                3, new LeaderRebalance.Imbalance(3, 1, 1)), LeaderRebalance.imbalances(image()));
        LeaderRebalance.Imbalance tenPercent = new LeaderRebalance.Imbalance(2, 10, 1);
        assertFalse(tenPercent.above(10), "at the threshold is not above it");
        assertTrue(tenPercent.above(9));
        assertFalse(new LeaderRebalance.Imbalance(4, 5, 0).above(0), "a broker leading all its partitions never is");
    }

    @Test
    void brokersAboveTheThresholdGetBackThePartitionsWhereTheyAreInSyncAndLive() {
        MetadataImage image = image();
        ControllerResult<LeaderRebalance.Outcome> result = new LeaderRebalance(10).rebalance(image, LIVE);
        assertEquals(List.of(1, 3), result.response().imbalanced().stream().map(LeaderRebalance.Imbalance::brokerId)
                .toList(), "broker 2 is at 10%, not above; broker 3 is at 100%");
        assertEquals(List.of(new LeaderRebalance.Move("a", 1, 2, 1), new LeaderRebalance.Move("a", 3, 3, 1)),
                result.response().moves(), "a-2: 1 is not in sync; c-0: 3 is not live");
        MetadataImage after = Images.apply(image, result.records());
        PartitionImage a1 = partition(after, "a", 1);
        assertEquals(1, a1.leader());
        assertEquals(3, a1.leaderEpoch());
        assertEquals(9, a1.partitionEpoch());
        assertEquals(List.of(2, 1), a1.isr(), "the ISR stays as it was");
        assertEquals(1, partition(after, "a", 3).leader());
        assertEquals(partition(image, "a", 2), partition(after, "a", 2));
        assertEquals(partition(image, "b", 0), partition(after, "b", 0));
        assertEquals(partition(image, "c", 0), partition(after, "c", 0));
    }

    @Test
    void theThresholdBoundsWhatMoves() {
        var strict = new LeaderRebalance(0).rebalance(image(), LIVE).response().moves();
        assertTrue(strict.contains(new LeaderRebalance.Move("b", 0, 3, 2)), "at 0% any imbalance moves: " + strict);
        var lax = new LeaderRebalance(100).rebalance(image(), LIVE);
        assertTrue(lax.records().isEmpty() && lax.response().imbalanced().isEmpty(), "nothing is above 100%");
        assertThrows(IllegalArgumentException.class, () -> new LeaderRebalance(101));
        assertThrows(IllegalArgumentException.class, () -> new LeaderRebalance(-1));
    }

    @Test
    void controllerSettingsRefuseAnImpossibleThresholdOrInterval() {
        assertThrows(IllegalArgumentException.class, () -> new QuorumController.Settings(1, 1, true, 101, 1));
        assertThrows(IllegalArgumentException.class, () -> new QuorumController.Settings(1, 1, true, -1, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> new QuorumController.Settings(1, 1, true, 10, 0));
        assertTrue(e.getMessage().contains("leader imbalance check 0 ms"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QuorumController.Settings(1, 0, false, 10, 1));
    }
}
