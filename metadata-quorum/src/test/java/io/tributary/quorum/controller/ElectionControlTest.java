package io.tributary.quorum.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidRequestException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import io.tributary.proto.v1.ElectLeadersRequest;
import io.tributary.proto.v1.ElectLeadersResponse;
import io.tributary.proto.v1.ElectionType;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.TopicPartitionRef;
import io.tributary.quorum.image.MetadataImage;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Preferred and unclean leader elections as pure (image, request) logic. */
@Tag("unit")
class ElectionControlTest {

    private final ElectionControl control = new ElectionControl();

    /** t-0: replicas [1,2,3], ISR [2,3], leader 2. t-1: replicas [1,2,3], ISR [1], no leader. t-2: [3,1,2] led by 3. */
    private static MetadataImage image() {
        return Images.apply(Images.brokers(List.of(1, 2, 3), List.of()), List.of(
                MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName("t").setTopicId("id")).build(),
                partition(0, List.of(2, 3), 2), partition(1, List.of(1), -1),
                MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId("id").setPartition(2)
                        .addAllReplicas(List.of(3, 1, 2)).addAllIsr(List.of(3, 1, 2)).setLeader(3)).build()));
    }

    private static MetadataRecord partition(int p, List<Integer> isr, int leader) {
        return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId("id").setPartition(p)
                .addAllReplicas(List.of(1, 2, 3)).addAllIsr(isr).setLeader(leader).setLeaderEpoch(4)
                .setPartitionEpoch(7)).build();
    }

    private ControllerResult<ElectLeadersResponse> elect(ElectionType type, IntPredicate live, int... partitions) {
        ElectLeadersRequest.Builder request = ElectLeadersRequest.newBuilder().setElectionType(type);
        for (int p : partitions) {
            request.addPartitions(TopicPartitionRef.newBuilder().setTopic("t").setPartition(p));
        }
        return control.electLeaders(image(), request.build(), live);
    }

    private static List<ErrorCode> codes(ControllerResult<ElectLeadersResponse> result) {
        return result.response().getResultsList().stream().map(r -> r.getErrorCode()).toList();
    }

    @Test
    void preferredElectionMovesLeadershipBackOnlyToAnInSyncLiveFirstReplica() {
        IntPredicate all = id -> true;
        var result = elect(ElectionType.ELECTION_TYPE_PREFERRED, all, 0, 2);
        assertEquals(List.of(ErrorCode.ERROR_CODE_PREFERRED_LEADER_NOT_AVAILABLE, ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED),
                codes(result), "1 is not in t-0's ISR; 3 already leads t-2");
        assertTrue(result.records().isEmpty());

        MetadataImage back = Images.apply(image(), List.of(partition(0, List.of(1, 2, 3), 2)));
        var moved = control.electLeaders(back, ElectLeadersRequest.newBuilder()
                .setElectionType(ElectionType.ELECTION_TYPE_PREFERRED).build(), all);
        assertEquals(List.of(ErrorCode.ERROR_CODE_NONE, ErrorCode.ERROR_CODE_NONE, ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED),
                codes(moved), "no partitions named: every partition (t-1's in-sync preferred replica leads it too)");
        var p0 = Images.apply(back, moved.records()).topic("t").orElseThrow().partitions().get(0);
        assertEquals(1, p0.leader());
        assertEquals(5, p0.leaderEpoch());
        var dead = control.electLeaders(back, ElectLeadersRequest.newBuilder()
                .setElectionType(ElectionType.ELECTION_TYPE_PREFERRED).addPartitions(TopicPartitionRef.newBuilder()
                        .setTopic("t").setPartition(0)).build(), id -> id != 1);
        assertEquals(List.of(ErrorCode.ERROR_CODE_PREFERRED_LEADER_NOT_AVAILABLE), codes(dead));
    }

    @Test
    void uncleanElectionPrefersInSyncThenAnyLiveReplicaAndNeverTouchesLedPartitions() {
        var inSync = elect(ElectionType.ELECTION_TYPE_UNCLEAN, id -> true, 0, 1);
        assertEquals(List.of(ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED, ErrorCode.ERROR_CODE_NONE), codes(inSync));
        assertEquals(1, Images.apply(image(), inSync.records()).topic("t").orElseThrow().partitions().get(1).leader());

        var outOfSync = elect(ElectionType.ELECTION_TYPE_UNCLEAN, id -> id == 3, 1);
        var p1 = Images.apply(image(), outOfSync.records()).topic("t").orElseThrow().partitions().get(1);
        assertEquals(3, p1.leader(), "the live out-of-sync replica");
        assertEquals(List.of(3), p1.isr(), "and it alone is in sync now");

        assertEquals(List.of(ErrorCode.ERROR_CODE_ELIGIBLE_LEADERS_NOT_AVAILABLE),
                codes(elect(ElectionType.ELECTION_TYPE_UNCLEAN, id -> false, 1)));
    }

    @Test
    void badRequestsAreRefused() {
        assertThrows(InvalidRequestException.class, () -> elect(ElectionType.ELECTION_TYPE_UNSPECIFIED, id -> true, 0));
        assertThrows(InvalidRequestException.class, () -> elect(ElectionType.ELECTION_TYPE_PREFERRED, id -> true, 0, 0));
        assertEquals(List.of(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION),
                codes(elect(ElectionType.ELECTION_TYPE_PREFERRED, id -> true, 9)));
        assertEquals(Set.of(), Set.copyOf(elect(ElectionType.ELECTION_TYPE_PREFERRED, id -> true, 9).records()));
    }
}
