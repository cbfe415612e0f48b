package io.tributary.quorum.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.StaleBrokerEpochException;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.proto.controller.v1.IsrChangeResult;
import io.tributary.proto.metadata.v1.BrokerRegistrationChangeRecord;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** AlterPartition (DESIGN.md §5: ISR changes go through the controller with the partition epoch) as pure logic. */
@Tag("unit")
class IsrControlTest {

    private static final int LEADER_EPOCH = 4;
    private static final int PARTITION_EPOCH = 7;

    private final IsrControl control = new IsrControl();

    /**
     * Brokers 1 and 2 active, 3 fenced, 4 in controlled shutdown, 5 never registered. Topic t (id-t):
     * t-0 replicas [1,2,3,4,5] ISR [1,2]; t-1 replicas [1,2,3] ISR [1,3]; t-2 replicas [2,1] led by 2.
     * Broker 1 leads t-0 and t-1; every partition is at leader epoch 4, partition epoch 7.
     */
    private static MetadataImage image() {
        MetadataImage brokers = Images.brokers(List.of(1, 2, 3, 4), List.of());
        return Images.apply(brokers, List.of(
                registrationChange(brokers, 3, true, false), registrationChange(brokers, 4, false, true),
                MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName("t").setTopicId("id-t")).build(),
                partition(0, List.of(1, 2, 3, 4, 5), List.of(1, 2), 1),
                partition(1, List.of(1, 2, 3), List.of(1, 3), 1),
                partition(2, List.of(2, 1), List.of(2, 1), 2)));
    }

    private static MetadataRecord registrationChange(MetadataImage image, int id, boolean fenced, boolean shutdown) {
        return MetadataRecord.newBuilder().setBrokerRegistrationChange(BrokerRegistrationChangeRecord.newBuilder()
                .setBrokerId(id).setBrokerEpoch(image.broker(id).orElseThrow().epoch()).setFenced(fenced)
                .setInControlledShutdown(shutdown)).build();
    }

    private static MetadataRecord partition(int p, List<Integer> replicas, List<Integer> isr, int leader) {
        return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId("id-t").setPartition(p)
                .addAllReplicas(replicas).addAllIsr(isr).setLeader(leader).setLeaderEpoch(LEADER_EPOCH)
                .setPartitionEpoch(PARTITION_EPOCH)).build();
    }

    private static IsrChange change(int partition, List<Integer> newIsr) {
        return change("id-t", partition, LEADER_EPOCH, PARTITION_EPOCH, newIsr);
    }

    private static IsrChange change(String topicId, int partition, int leaderEpoch, int partitionEpoch,
                                    List<Integer> newIsr) {
        return IsrChange.newBuilder().setTopicId(topicId).setPartition(partition).setLeaderEpoch(leaderEpoch)
                .setPartitionEpoch(partitionEpoch).addAllNewIsr(newIsr).build();
    }

    private ControllerResult<AlterPartitionResponse> alter(MetadataImage image, IsrChange... changes) {
        return control.alterPartition(image, AlterPartitionRequest.newBuilder().setBrokerId(1)
                .setBrokerEpoch(image.broker(1).orElseThrow().epoch()).addAllChanges(List.of(changes)).build());
    }

    private IsrChangeResult alterOne(IsrChange change) {
        ControllerResult<AlterPartitionResponse> result = alter(image(), change);
        if (result.response().getResults(0).getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            assertTrue(result.records().isEmpty(), "a refused change writes nothing");
        }
        return result.response().getResults(0);
    }

    private static PartitionImage partitionOf(MetadataImage image, int p) {
        return image.topic("t").orElseThrow().partitions().get(p);
    }

    @Test
    void aShrinkCommitsTheFullPartitionStateAtTheNextPartitionEpoch() {
        MetadataImage image = image();
        ControllerResult<AlterPartitionResponse> result = alter(image, change(0, List.of(1)));
        IsrChangeResult answer = result.response().getResults(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, answer.getErrorCode());
        assertEquals("id-t", answer.getTopicId());
        assertEquals(0, answer.getPartition());
        assertEquals(1, answer.getLeader());
        assertEquals(LEADER_EPOCH, answer.getLeaderEpoch(), "the leader stays, and so does its epoch");
        assertEquals(PARTITION_EPOCH + 1, answer.getPartitionEpoch());
        assertEquals(List.of(1), answer.getIsrList());
        PartitionImage after = partitionOf(Images.apply(image, result.records()), 0);
        assertEquals(new PartitionImage(0, List.of(1, 2, 3, 4, 5), List.of(1), 1, LEADER_EPOCH, PARTITION_EPOCH + 1),
                after, "the committed state is the one answered");
    }

    @Test
    void anExpansionMayAddActiveBrokersAndKeepInSyncOnesWhateverTheirState() {
        ControllerResult<AlterPartitionResponse> result = alter(image(), change(1, List.of(1, 3, 2)));
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.response().getResults(0).getErrorCode(),
                "2 is active; fenced 3 is already in sync, so it is not being added");
        assertEquals(List.of(1, 3, 2), partitionOf(Images.apply(image(), result.records()), 1).isr());
    }

    @Test
    void theCurrentIsrInAnyOrderAnswersTheCurrentStateAndWritesNothing() {
        ControllerResult<AlterPartitionResponse> result = alter(image(), change(0, List.of(2, 1)));
        assertTrue(result.records().isEmpty());
        IsrChangeResult answer = result.response().getResults(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, answer.getErrorCode());
        assertEquals(PARTITION_EPOCH, answer.getPartitionEpoch());
        assertEquals(List.of(1, 2), answer.getIsrList());
    }

    @Test
    void aStaleOrUnknownBrokerEpochFailsTheWholeRequest() {
        MetadataImage image = image();
        long epoch = image.broker(1).orElseThrow().epoch();
        assertThrows(StaleBrokerEpochException.class, () -> control.alterPartition(image, AlterPartitionRequest
                .newBuilder().setBrokerId(1).setBrokerEpoch(epoch - 1).addChanges(change(0, List.of(1))).build()));
        assertThrows(StaleBrokerEpochException.class, () -> control.alterPartition(image, AlterPartitionRequest
                .newBuilder().setBrokerId(5).setBrokerEpoch(epoch).addChanges(change(0, List.of(1))).build()));
    }

    @Test
    void unknownTopicsAndPartitionsAreRefused() {
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                alterOne(change("id-x", 0, LEADER_EPOCH, PARTITION_EPOCH, List.of(1))).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, alterOne(change(9, List.of(1))).getErrorCode());
    }

    @Test
    void onlyTheLeaderAtItsLeaderEpochAndTheCurrentPartitionEpochMayChangeTheIsr() {
        IsrChangeResult notLeader = alterOne(change(2, List.of(2)));
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, notLeader.getErrorCode());
        assertTrue(notLeader.getErrorMessage().contains("broker 2 does"), notLeader.getErrorMessage());
        assertEquals(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH,
                alterOne(change("id-t", 0, LEADER_EPOCH - 1, PARTITION_EPOCH, List.of(1))).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH,
                alterOne(change("id-t", 0, LEADER_EPOCH + 1, PARTITION_EPOCH, List.of(1))).getErrorCode());
        IsrChangeResult stale = alterOne(change("id-t", 0, LEADER_EPOCH, PARTITION_EPOCH - 1, List.of(1)));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_UPDATE_VERSION, stale.getErrorCode());
        assertTrue(stale.getErrorMessage().contains("partition epoch 6"), stale.getErrorMessage());
    }

    @Test
    void malformedIsrsAreInvalidRequestsThatSayWhatIsWrong() {
        assertInvalid(change(0, List.of()), "is empty");
        assertInvalid(change(0, List.of(1, 2, 1)), "more than once");
        assertInvalid(change(0, List.of(2)), "does not hold the leader 1");
        assertInvalid(change(1, List.of(1, 4)), "names broker 4, which is not one of its replicas");
    }

    private void assertInvalid(IsrChange change, String why) {
        IsrChangeResult result = alterOne(change);
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, result.getErrorCode());
        assertTrue(result.getErrorMessage().contains(why), result.getErrorMessage());
    }

    @Test
    void aReplicaAddedMustBeOnAnActiveBroker() {
        assertIneligible(change(0, List.of(1, 2, 3)), "fenced");
        assertIneligible(change(0, List.of(1, 4)), "in controlled shutdown");
        assertIneligible(change(0, List.of(1, 5)), "not registered");
    }

    private void assertIneligible(IsrChange change, String why) {
        IsrChangeResult result = alterOne(change);
        assertEquals(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA, result.getErrorCode());
        assertTrue(result.getErrorMessage().contains(why), result.getErrorMessage());
    }

    @Test
    void changesSucceedOrFailOnTheirOwnInRequestOrderAndASecondChangeToOnePartitionIsInvalid() {
        MetadataImage image = image();
        ControllerResult<AlterPartitionResponse> result = alter(image, change(0, List.of(1)), change(2, List.of(2)),
                change(0, List.of(1, 2)), change(1, List.of(1)));
        assertEquals(List.of(ErrorCode.ERROR_CODE_NONE, ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER,
                ErrorCode.ERROR_CODE_INVALID_REQUEST, ErrorCode.ERROR_CODE_NONE),
                result.response().getResultsList().stream().map(IsrChangeResult::getErrorCode).toList());
        assertEquals(List.of(0, 2, 0, 1),
                result.response().getResultsList().stream().map(IsrChangeResult::getPartition).toList());
        assertTrue(result.response().getResults(2).getErrorMessage().contains("more than once"));
        MetadataImage after = Images.apply(image, result.records());
        assertEquals(List.of(1), partitionOf(after, 0).isr(), "the first change to t-0 holds");
        assertEquals(List.of(1), partitionOf(after, 1).isr());
        assertEquals(partitionOf(image, 2), partitionOf(after, 2));
    }
}
