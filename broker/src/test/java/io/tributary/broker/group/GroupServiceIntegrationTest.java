package io.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tributary.broker.TestNode;
import io.tributary.proto.v1.Coordinator;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.DeleteGroupsRequest;
import io.tributary.proto.v1.DescribeGroupsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.ListGroupsRequest;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OffsetFetchResponse;
import io.tributary.proto.v1.OwnedPartitions;
import io.tributary.proto.v1.Subscription;
import io.tributary.proto.v1.TopicPartitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GroupService of a real node over gRPC: coordinator discovery, membership, offsets, restarts. */
@Tag("integration")
class GroupServiceIntegrationTest {

    private static final String TOPIC = "orders";

    @TempDir
    Path dir;
    private TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dir, Map.of("offsets.topic.num.partitions", "3", "group.min.session.timeout.ms", "500",
                "group.consumer.heartbeat.interval.ms", "100"));
        node.createTopic(TOPIC, 6, Map.of());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void threeMembersShareSixPartitionsAndCommittedOffsetsSurviveARestart() {
        awaitCoordinator("g1");
        Map<String, Member> members = new HashMap<>();
        for (String id : List.of("m1", "m2", "m3")) {
            members.put(id, new Member("g1", id));
            members.get(id).join(Subscription.newBuilder().addTopicNames(TOPIC).build());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            members.values().forEach(Member::heartbeat);
            return members.values().stream().allMatch(m -> m.owned.size() == 2) && disjoint(members.values());
        });
        GroupDescription described = groups().describeGroups(DescribeGroupsRequest.newBuilder().addGroupIds("g1")
                .build()).getGroups(0);
        assertEquals("Stable", described.getState());
        assertEquals(3, described.getMembersCount());

        Member m1 = members.get("m1");
        int owned = m1.owned.iterator().next();
        int notOwned = IntStream.range(0, 6).filter(p -> !m1.owned.contains(p)).findFirst().orElseThrow();
        OffsetCommitResponse committed = groups().offsetCommit(commit("g1", "m1", m1.epoch, owned, 42));
        assertEquals(ErrorCode.ERROR_CODE_NONE, committed.getPartitions(0).getErrorCode());
        OffsetCommitResponse refused = groups().offsetCommit(commit("g1", "m1", m1.epoch, notOwned, 7));
        assertEquals(ErrorCode.ERROR_CODE_PARTITION_NOT_ASSIGNED, refused.getPartitions(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH,
                groups().offsetCommit(commit("g1", "m1", m1.epoch - 1, owned, 43)).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP,
                groups().offsetCommit(commit("g1", "", -1, owned, 44)).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, groups().deleteGroups(DeleteGroupsRequest.newBuilder().addGroupIds("g1").build()).getResults(0).getErrorCode());
        assertEquals(42L, fetch("g1", owned));
        assertEquals(-1L, fetch("g1", notOwned));

        node.restart();
        awaitCoordinator("g1");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> fetch("g1", owned) == 42);
        GroupDescription reloaded = groups().describeGroups(DescribeGroupsRequest.newBuilder().addGroupIds("g1")
                .build()).getGroups(0);
        assertEquals(3, reloaded.getMembersCount());
        assertEquals(described.getGroupEpoch(), reloaded.getGroupEpoch());
        assertTrue(groups().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsList().stream().anyMatch(g -> g.getGroupId().equals("g1")));
    }

    @Test
    void badRequestsAreRefusedWithClearErrorsAndChangeNothing() {
        awaitCoordinator("g2");
        ConsumerGroupHeartbeatResponse badRegex = groups().consumerGroupHeartbeat(join("g2", "m1",
                Subscription.newBuilder().setTopicRegex("orders[").build()));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REGULAR_EXPRESSION, badRegex.getErrorCode());
        assertTrue(badRegex.getErrorMessage().contains("orders["), badRegex.getErrorMessage());
        ConsumerGroupHeartbeatResponse unknown = groups().consumerGroupHeartbeat(
                ConsumerGroupHeartbeatRequest.newBuilder().setGroupId("g2").setMemberId("ghost").setMemberEpoch(3).build());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, unknown.getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, groups().describeGroups(DescribeGroupsRequest.newBuilder().addGroupIds("g2").build()).getGroups(0).getErrorCode());
        Member member = new Member("g2", "m1");
        member.join(Subscription.newBuilder().addTopicNames(TOPIC).build());
        ConsumerGroupHeartbeatResponse fenced = groups().consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest
                .newBuilder().setGroupId("g2").setMemberId("m1").setMemberEpoch(member.epoch + 5).build());
        assertEquals(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, fenced.getErrorCode());
        ConsumerGroupHeartbeatResponse badTimeout = groups().consumerGroupHeartbeat(join("g2", "m2",
                Subscription.newBuilder().addTopicNames(TOPIC).build()).toBuilder().setSessionTimeoutMs(10).build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_SESSION_TIMEOUT, badTimeout.getErrorCode());
        assertEquals(1, groups().describeGroups(DescribeGroupsRequest.newBuilder().addGroupIds("g2").build()).getGroups(0).getMembersCount());
    }

    @Test
    void clientsCannotCreateInternalTopicsAndFindCoordinatorChecksGroupIds() {
        StatusRuntimeException refused = assertThrows(
                StatusRuntimeException.class, () -> node.admin().createTopics(CreateTopicsRequest.newBuilder().setInternal(true).addTopics(NewTopic.newBuilder().setName("__consumer_offsets")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("internal"), refused.getStatus().getDescription());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, groups().findCoordinator(FindCoordinatorRequest
                .newBuilder().addGroupIds("").build()).getCoordinators(0).getErrorCode());
        StatusRuntimeException empty = assertThrows(
                StatusRuntimeException.class,
                () -> groups().findCoordinator(FindCoordinatorRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
    }

    private void awaitCoordinator(String groupId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Coordinator coordinator = groups().findCoordinator(FindCoordinatorRequest.newBuilder().addGroupIds(groupId)
                    .build()).getCoordinators(0);
            if (coordinator.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                return false;
            }
            return groups().offsetFetch(OffsetFetchRequest.newBuilder().setGroupId(groupId).build()).getErrorCode()
                    == ErrorCode.ERROR_CODE_NONE;
        });
    }

    private long fetch(String groupId, int partition) {
        OffsetFetchResponse response = groups().offsetFetch(OffsetFetchRequest.newBuilder().setGroupId(groupId)
                .addTopics(TopicPartitions.newBuilder().setTopic(TOPIC).addPartitions(partition)).build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode());
        return response.getOffsets(0).getCommittedOffset();
    }

    private static OffsetCommitRequest commit(String groupId, String memberId, int epoch, int partition, long offset) {
        return OffsetCommitRequest.newBuilder().setGroupId(groupId).setMemberId(memberId).setMemberEpoch(epoch)
                .addTopics(OffsetCommitTopic.newBuilder().setTopic(TOPIC).addPartitions(OffsetCommitPartition
                        .newBuilder().setPartition(partition).setCommittedOffset(offset).setCommittedLeaderEpoch(-1)))
                .build();
    }

    private static ConsumerGroupHeartbeatRequest join(String groupId, String memberId, Subscription subscription) {
        return ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(groupId).setMemberId(memberId).setMemberEpoch(0)
                .setSubscription(subscription).setOwnedPartitions(OwnedPartitions.getDefaultInstance())
                .setSessionTimeoutMs(30_000).build();
    }

    private static boolean disjoint(Iterable<Member> members) {
        Set<Integer> seen = new HashSet<>();
        for (Member member : members) {
            for (int p : member.owned) {
                if (!seen.add(p)) {
                    return false;
                }
            }
        }
        return true;
    }

    private GroupServiceGrpc.GroupServiceBlockingStub groups() {
        return node.groups();
    }

    /** A member that obeys the protocol: releases what it is told to at once. */
    private final class Member {
        final String groupId;
        final String memberId;
        int epoch;
        Set<Integer> owned = new HashSet<>();

        Member(String groupId, String memberId) {
            this.groupId = groupId;
            this.memberId = memberId;
        }

        void join(Subscription subscription) {
            apply(groups().consumerGroupHeartbeat(GroupServiceIntegrationTest.join(groupId, memberId, subscription)));
        }

        void heartbeat() {
            apply(groups().consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(groupId)
                    .setMemberId(memberId).setMemberEpoch(epoch).setOwnedPartitions(OwnedPartitions.newBuilder()
                            .addTopics(TopicPartitions.newBuilder().setTopic(TOPIC).addAllPartitions(owned))).build()));
        }

        private void apply(ConsumerGroupHeartbeatResponse response) {
            assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.getErrorMessage());
            epoch = response.getMemberEpoch();
            owned = new HashSet<>();
            response.getAssignmentList().forEach(t -> owned.addAll(t.getPartitionsList()));
        }
    }
}
