package io.tributary.quorum.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tributary.proto.controller.v1.BrokerHeartbeatRequest;
import io.tributary.proto.metadata.v1.BrokerRegistrationChangeRecord;
import io.tributary.proto.metadata.v1.ConfigRecord;
import io.tributary.proto.metadata.v1.ConfigResourceType;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.storage.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * unclean.leader.election.enable on the controller's own elections (fencing, controlled shutdown,
 * unfencing): when no in-sync replica is usable, the topic's setting (else the broker default)
 * decides between no leader and the first usable out-of-sync replica.
 */
@Tag("unit")
class UncleanLeaderElectionTest {

    private static final long SESSION_MS = 9_000;
    private static final String UNCLEAN = LogConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG;

    /**
     * Brokers 1..3 active; t-0 has replicas [1, 2, 3] but only 1 in sync, leading at leader epoch 2,
     * partition epoch 5; {@code topicUnclean} (when not null) is the topic's own setting.
     */
    private static MetadataImage image(String topicUnclean) {
        List<MetadataRecord> records = new ArrayList<>();
        records.add(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName("t").setTopicId("id-t"))
                .build());
        records.add(MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId("id-t")
                .setPartition(0).addAllReplicas(List.of(1, 2, 3)).addAllIsr(List.of(1)).setLeader(1).setLeaderEpoch(2)
                .setPartitionEpoch(5)).build());
        if (topicUnclean != null) {
            records.add(MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder()
                    .setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setResourceName("t")
                    .setName(UNCLEAN).setValue(topicUnclean)).build());
        }
        return Images.apply(Images.brokers(List.of(1, 2, 3), List.of()), records);
    }

    private static BrokerControl control(Map<String, String> topicConfigDefaults, MetadataImage image) {
        BrokerControl control = new BrokerControl("c", SESSION_MS, topicConfigDefaults);
        control.resetSessions(image, 0);
        return control;
    }

    /** Broker 1 asks for controlled shutdown, with brokers 2 and 3 alive. */
    private static PartitionImage afterShutdownOfTheOnlyInSyncReplica(Map<String, String> defaults, String topic) {
        MetadataImage image = image(topic);
        BrokerControl control = control(defaults, image);
        var result = control.heartbeat(image, BrokerHeartbeatRequest.newBuilder().setBrokerId(1)
                .setBrokerEpoch(image.broker(1).orElseThrow().epoch()).setMetadataOffset(image.lastOffset())
                .setWantShutdown(true).build(), 1);
        return partition(Images.apply(image, result.records()));
    }

    private static PartitionImage partition(MetadataImage image) {
        return image.topic("t").orElseThrow().partitions().get(0);
    }

    @Test
    void byDefaultThePartitionWaitsLeaderlessForItsLastInSyncReplica() {
        PartitionImage p = afterShutdownOfTheOnlyInSyncReplica(Map.of(), null);
        assertEquals(-1, p.leader());
        assertEquals(List.of(1), p.isr(), "the last in-sync replica keeps its place");
    }

    @Test
    void whenTheTopicEnablesItTheFirstUsableReplicaLeadsAndAloneIsInSync() {
        PartitionImage p = afterShutdownOfTheOnlyInSyncReplica(Map.of(), "true");
        assertEquals(2, p.leader(), "the first usable replica in assignment order");
        assertEquals(List.of(2), p.isr());
        assertEquals(3, p.leaderEpoch());
        assertEquals(6, p.partitionEpoch());
    }

    @Test
    void theBrokerDefaultAppliesUnlessTheTopicSetsItsOwn() {
        assertEquals(2, afterShutdownOfTheOnlyInSyncReplica(Map.of(UNCLEAN, "true"), null).leader());
        assertEquals(-1, afterShutdownOfTheOnlyInSyncReplica(Map.of(UNCLEAN, "true"), "false").leader());
        assertEquals(2, afterShutdownOfTheOnlyInSyncReplica(Map.of(UNCLEAN, "false"), "TRUE").leader(),
                "booleans are case-insensitive, as configs are parsed");
    }

    @Test
    void anExpiredSessionElectsUncleanlyOnlyAmongLiveBrokers() {
        MetadataImage image = image("true");
        BrokerControl control = control(Map.of(), image);
        image = Images.apply(image, control.heartbeat(image, BrokerHeartbeatRequest.newBuilder().setBrokerId(3)
                .setBrokerEpoch(image.broker(3).orElseThrow().epoch()).setMetadataOffset(image.lastOffset()).build(),
                SESSION_MS).records());
        ControllerResult<Optional<Integer>> fence = control.fenceOneExpiredBroker(image, SESSION_MS + 1);
        assertEquals(Optional.of(1), fence.response());
        PartitionImage p = partition(Images.apply(image, fence.records()));
        assertEquals(3, p.leader(), "broker 2 is silent as well: the live broker 3 leads");
        assertEquals(List.of(3), p.isr());
    }

    @Test
    void anUnfencedBrokerLeadsALeaderlessPartitionOnlyIfTheTopicAllowsUncleanElection() {
        for (String setting : List.of("true", "false")) {
            MetadataImage image = image(setting);
            List<MetadataRecord> fenceAll = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                fenceAll.add(MetadataRecord.newBuilder().setBrokerRegistrationChange(BrokerRegistrationChangeRecord
                        .newBuilder().setBrokerId(id).setBrokerEpoch(image.broker(id).orElseThrow().epoch())
                        .setFenced(true)).build());
            }
            fenceAll.add(MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId("id-t")
                    .setPartition(0).addAllReplicas(List.of(1, 2, 3)).addAllIsr(List.of(1)).setLeader(-1)
                    .setLeaderEpoch(3).setPartitionEpoch(6)).build());
            MetadataImage fenced = Images.apply(image, fenceAll);
            BrokerControl control = control(Map.of(), fenced);
            var unfence = control.heartbeat(fenced, BrokerHeartbeatRequest.newBuilder().setBrokerId(3)
                    .setBrokerEpoch(fenced.broker(3).orElseThrow().epoch()).setMetadataOffset(fenced.lastOffset())
                    .build(), 1);
            assertFalse(unfence.response().getFenced());
            PartitionImage p = partition(Images.apply(fenced, unfence.records()));
            assertEquals(setting.equals("true") ? 3 : -1, p.leader(), "unclean.leader.election.enable=" + setting);
            assertEquals(setting.equals("true") ? List.of(3) : List.of(1), p.isr());
        }
    }
}
