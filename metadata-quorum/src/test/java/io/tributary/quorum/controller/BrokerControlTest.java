package io.tributary.quorum.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.DuplicateBrokerRegistrationException;
import io.tributary.common.errors.InconsistentClusterIdException;
import io.tributary.common.errors.StaleBrokerEpochException;
import io.tributary.proto.controller.v1.AllocateProducerIdsRequest;
import io.tributary.proto.controller.v1.BrokerHeartbeatRequest;
import io.tributary.proto.controller.v1.BrokerRegistrationRequest;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Registration, heartbeats, fencing, leader election and controlled shutdown as pure (image, request) logic. */
@Tag("unit")
class BrokerControlTest {

    private static final long SESSION_MS = 9_000;
    private final BrokerControl control = new BrokerControl("cluster-a", SESSION_MS, Map.of());

    private MetadataImage register(MetadataImage image, int id, String incarnation, long nowMs) {
        ControllerResult<Long> result = control.register(image, BrokerRegistrationRequest.newBuilder()
                .setBrokerId(id).setIncarnationId(incarnation).setClusterId("cluster-a").setHost("h").setPort(id)
                .build(), nowMs);
        return Images.apply(image, result.records());
    }

    private MetadataImage heartbeat(MetadataImage image, int id, boolean wantShutdown, long nowMs) {
        var broker = image.broker(id).orElseThrow();
        return Images.apply(image, control.heartbeat(image, BrokerHeartbeatRequest.newBuilder().setBrokerId(id)
                .setBrokerEpoch(broker.epoch()).setMetadataOffset(image.lastOffset()).setWantShutdown(wantShutdown)
                .build(), nowMs).records());
    }

    /** Brokers 1..3 registered and unfenced, and topic t-0 with replicas [1, 2, 3] led by 1. */
    private MetadataImage cluster() {
        MetadataImage image = MetadataImage.EMPTY;
        for (int id = 1; id <= 3; id++) {
            image = register(image, id, "inc-" + id, 0);
        }
        for (int id = 1; id <= 3; id++) {
            image = heartbeat(image, id, false, 0);
        }
        return Images.apply(image, List.of(
                MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName("t").setTopicId("id-t")).build(),
                MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId("id-t").setPartition(0)
                        .addAllReplicas(List.of(1, 2, 3)).addAllIsr(List.of(1, 2, 3)).setLeader(1)).build()));
    }

    private static PartitionImage partition(MetadataImage image) {
        return image.topic("t").orElseThrow().partitions().get(0);
    }

    @Test
    void aNewBrokerStartsFencedAndIsUnfencedOnceItHasReplayedItsRegistration() {
        MetadataImage image = register(MetadataImage.EMPTY, 1, "inc", 0);
        long epoch = image.broker(1).orElseThrow().epoch();
        assertTrue(image.broker(1).orElseThrow().fenced());
        var behind = control.heartbeat(image, BrokerHeartbeatRequest.newBuilder().setBrokerId(1).setBrokerEpoch(epoch)
                .setMetadataOffset(epoch - 1).build(), 1);
        assertTrue(behind.records().isEmpty() && behind.response().getFenced(), "not caught up: stays fenced");
        MetadataImage after = heartbeat(image, 1, false, 1);
        assertFalse(after.broker(1).orElseThrow().fenced());
    }

    @Test
    void registrationsAreCheckedForClusterIdLiveDuplicatesAndRetries() {
        MetadataImage image = heartbeat(register(MetadataImage.EMPTY, 1, "inc", 0), 1, false, 0);
        assertThrows(InconsistentClusterIdException.class, () -> control.register(image, BrokerRegistrationRequest
                .newBuilder().setBrokerId(2).setIncarnationId("x").setClusterId("other").build(), 1));
        assertThrows(DuplicateBrokerRegistrationException.class, () -> control.register(image,
                BrokerRegistrationRequest.newBuilder().setBrokerId(1).setIncarnationId("second").setClusterId("cluster-a")
                        .build(), 1_000));
        ControllerResult<Long> retry = control.register(image, BrokerRegistrationRequest.newBuilder().setBrokerId(1)
                .setIncarnationId("inc").setClusterId("cluster-a").build(), 1_000);
        assertTrue(retry.records().isEmpty(), "a retried registration writes nothing: its epoch stays");
        ControllerResult<Long> replaced = control.register(image, BrokerRegistrationRequest.newBuilder().setBrokerId(1)
                .setIncarnationId("restarted").setClusterId("cluster-a").build(), 1_000 + SESSION_MS + 1);
        assertNull(replaced.response());
        assertFalse(replaced.records().isEmpty(), "after the old session expired a new incarnation may register");
    }

    @Test
    void staleEpochsAreRejected() {
        MetadataImage image = register(MetadataImage.EMPTY, 1, "inc", 0);
        long epoch = image.broker(1).orElseThrow().epoch();
        assertThrows(StaleBrokerEpochException.class, () -> control.heartbeat(image, BrokerHeartbeatRequest.newBuilder()
                .setBrokerId(1).setBrokerEpoch(epoch - 1).build(), 1));
        assertThrows(StaleBrokerEpochException.class, () -> control.heartbeat(image, BrokerHeartbeatRequest.newBuilder()
                .setBrokerId(9).setBrokerEpoch(epoch).build(), 1));
        assertThrows(StaleBrokerEpochException.class, () -> control.allocateProducerIds(image,
                AllocateProducerIdsRequest.newBuilder().setBrokerId(1).setBrokerEpoch(epoch + 5).build()));
    }

    @Test
    void anExpiredSessionFencesTheBrokerAndItsPartitionsGetANewLeaderFromTheIsr() {
        MetadataImage image = cluster();
        control.resetSessions(image, 0);
        image = heartbeat(image, 2, false, SESSION_MS);
        image = heartbeat(image, 3, false, SESSION_MS);
        assertTrue(control.fenceOneExpiredBroker(image, SESSION_MS).records().isEmpty(), "not yet expired");
        ControllerResult<Optional<Integer>> fence = control.fenceOneExpiredBroker(image, SESSION_MS + 1);
        assertEquals(Optional.of(1), fence.response());
        MetadataImage after = Images.apply(image, fence.records());
        assertTrue(after.broker(1).orElseThrow().fenced());
        PartitionImage p = partition(after);
        assertEquals(2, p.leader(), "the next in-sync replica in assignment order leads");
        assertEquals(List.of(2, 3), p.isr());
        assertEquals(partition(image).leaderEpoch() + 1, p.leaderEpoch());
        assertEquals(partition(image).partitionEpoch() + 1, p.partitionEpoch());
    }

    @Test
    void theLastInSyncReplicaKeepsItsIsrPlaceWithNoLeaderUntilItReturns() {
        MetadataImage image = cluster();
        control.resetSessions(image, 0);
        for (long now = SESSION_MS + 1; ; now++) {
            ControllerResult<Optional<Integer>> fence = control.fenceOneExpiredBroker(image, now);
            if (fence.response().isEmpty()) {
                break;
            }
            image = Images.apply(image, fence.records());
        }
        PartitionImage p = partition(image);
        assertEquals(-1, p.leader(), "no unclean election");
        assertEquals(List.of(3), p.isr(), "the last in-sync replica stays in the ISR");
        MetadataImage back = heartbeat(register(image, 3, "inc-3", 2 * SESSION_MS), 3, false, 2 * SESSION_MS);
        assertEquals(3, partition(back).leader(), "the returning in-sync replica leads again");
        MetadataImage other = heartbeat(register(image, 1, "inc-1b", 2 * SESSION_MS), 1, false, 2 * SESSION_MS);
        assertEquals(-1, partition(other).leader(), "an out-of-sync replica does not");
    }

    @Test
    void controlledShutdownMovesLeadershipAwayAndFencesInOneStep() {
        MetadataImage image = cluster();
        control.resetSessions(image, 0);
        var broker = image.broker(1).orElseThrow();
        var result = control.heartbeat(image, BrokerHeartbeatRequest.newBuilder().setBrokerId(1)
                .setBrokerEpoch(broker.epoch()).setMetadataOffset(image.lastOffset()).setWantShutdown(true).build(), 1);
        assertTrue(result.response().getShouldShutdown());
        MetadataImage after = Images.apply(image, result.records());
        assertEquals(2, partition(after).leader());
        assertTrue(after.broker(1).orElseThrow().fenced() && after.broker(1).orElseThrow().inControlledShutdown());
        var again = control.heartbeat(after, BrokerHeartbeatRequest.newBuilder().setBrokerId(1)
                .setBrokerEpoch(broker.epoch()).setWantShutdown(true).build(), 2);
        assertTrue(again.records().isEmpty() && again.response().getShouldShutdown(), "repeating it changes nothing");
    }

    @Test
    void producerIdBlocksNeverOverlap() {
        MetadataImage image = register(MetadataImage.EMPTY, 1, "inc", 0);
        var request = AllocateProducerIdsRequest.newBuilder().setBrokerId(1)
                .setBrokerEpoch(image.broker(1).orElseThrow().epoch()).build();
        var first = control.allocateProducerIds(image, request);
        image = Images.apply(image, first.records());
        var second = control.allocateProducerIds(image, request);
        assertEquals(0, first.response().getFirstProducerId());
        assertEquals(BrokerControl.PRODUCER_ID_BLOCK_SIZE, second.response().getFirstProducerId());
    }

    @Test
    void whenTwoBrokersGoSilentTogetherLeadershipSkipsTheOtherSilentOne() {
        MetadataImage image = cluster();
        control.resetSessions(image, 0);
        image = heartbeat(image, 3, false, SESSION_MS);
        ControllerResult<Optional<Integer>> fence = control.fenceOneExpiredBroker(image, SESSION_MS + 1);
        assertEquals(Optional.of(1), fence.response());
        assertEquals(3, partition(Images.apply(image, fence.records())).leader(),
                "broker 2 is silent too: the live broker 3 leads, with no second leader change to come");
    }

    @Test
    void recordsThatCannotBeReplayedOrAreTooLargeAreNeverAppended() {
        MetadataImage image = cluster();
        MetadataRecord removeTwice = MetadataRecord.newBuilder().setRemoveTopic(
                io.tributary.proto.metadata.v1.RemoveTopicRecord.newBuilder().setTopicId("id-t")).build();
        assertThrows(io.tributary.common.errors.UnknownServerException.class,
                () -> QuorumController.checkReplayable(image, List.of(removeTwice, removeTwice)));
        MetadataRecord big = MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName("big")
                .setTopicId("x".repeat(QuorumController.MAX_ENTRY_BYTES))).build();
        var e = assertThrows(io.tributary.common.errors.InvalidRequestException.class,
                () -> QuorumController.checkReplayable(image, List.of(big)));
        assertTrue(e.getMessage().contains("fewer partitions per request"), e.getMessage());
        QuorumController.checkReplayable(image, List.of(removeTwice));
    }
}
