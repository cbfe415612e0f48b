package io.tributary.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.CommittedOffset;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupMember;
import io.tributary.proto.v1.GroupResult;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitPartitionResult;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.OffsetDeleteRequest;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.TopicPartitions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offset and group-administration steps of {@link GroupShardSimulation}, each checking the
 * answer against what the described state says it must be.
 */
final class GroupShardOperations {

    private static final Set<ErrorCode> MEMBER_COMMIT_REFUSALS =
            Set.of(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH, ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID);
    private static final Set<ErrorCode> OTHER_PARTITION_OUTCOMES = Set.of(ErrorCode.ERROR_CODE_NONE,
            ErrorCode.ERROR_CODE_PARTITION_NOT_ASSIGNED, ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);

    private GroupShardOperations() {
    }

    /**
     * A member commits some partitions it consumes (and perhaps {@code other}): at its current epoch
     * every partition it consumes must be accepted, since the coordinator still counts it as theirs.
     */
    static void memberCommit(GroupShardSimulation sim, SimulatedConsumer consumer, TopicPartition other) {
        List<TopicPartition> chosen = new ArrayList<>(consumer.held);
        Collections.shuffle(chosen, sim.random());
        chosen = new ArrayList<>(chosen.subList(0, Math.min(chosen.size(), 1 + sim.random().nextInt(3))));
        boolean withOther = sim.random().nextBoolean() && !consumer.held.contains(other);
        if (withOther) {
            chosen.add(other);
        }
        OffsetCommitRequest request = commitRequest(consumer.groupId, consumer.memberId, consumer.epoch, chosen,
                sim.random().nextInt(1_000_000));
        CoordinatorResult<OffsetCommitResponse> result =
                sim.run(shard -> shard.commitOffsets(request, sim.now(), sim.topics()));
        OffsetCommitResponse response = result.response();
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            assertTrue(MEMBER_COMMIT_REFUSALS.contains(response.getErrorCode()), sim.context() + ": " + response);
            assertTrue(result.records().isEmpty(), sim.context() + ": a refused commit wrote records");
            sim.stats.refusedCommits++;
            return;
        }
        for (OffsetCommitPartitionResult partition : response.getPartitionsList()) {
            TopicPartition tp = new TopicPartition(partition.getTopic(), partition.getPartition());
            if (consumer.held.contains(tp)) {
                assertEquals(ErrorCode.ERROR_CODE_NONE, partition.getErrorCode(),
                        sim.context() + ": a partition the member consumes was refused: " + response);
            } else {
                assertTrue(OTHER_PARTITION_OUTCOMES.contains(partition.getErrorCode()), sim.context() + ": " + response);
            }
        }
        assertAcceptedWritten(sim, consumer.groupId, request, response, result);
    }

    /** A commit without member id: accepted only while the group has no members. */
    static void nonMemberCommit(GroupShardSimulation sim, String groupId, TopicPartition tp) {
        OffsetCommitRequest request = commitRequest(groupId, "", -1, List.of(tp), sim.random().nextInt(1_000));
        boolean hasMembers = sim.leader().describeGroup(groupId, ShardHarness.COORDINATOR_ID).getMembersCount() > 0;
        CoordinatorResult<OffsetCommitResponse> result =
                sim.run(shard -> shard.commitOffsets(request, sim.now(), sim.topics()));
        OffsetCommitResponse response = result.response();
        if (hasMembers) {
            assertEquals(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, response.getErrorCode(), sim.context());
            assertTrue(result.records().isEmpty(), sim.context());
            sim.stats.refusedCommits++;
            return;
        }
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), sim.context() + ": " + response);
        boolean exists = sim.topics().getOrDefault(tp.topic(), 0) > tp.partition();
        assertEquals(exists ? ErrorCode.ERROR_CODE_NONE : ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                response.getPartitions(0).getErrorCode(), sim.context());
        assertAcceptedWritten(sim, groupId, request, response, result);
    }

    private static void assertAcceptedWritten(GroupShardSimulation sim, String groupId, OffsetCommitRequest request,
                                              OffsetCommitResponse response,
                                              CoordinatorResult<OffsetCommitResponse> result) {
        int accepted = 0;
        for (int i = 0; i < response.getPartitionsCount(); i++) {
            if (response.getPartitions(i).getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                continue;
            }
            accepted++;
            OffsetCommitPartitionResult partition = response.getPartitions(i);
            CommittedOffset fetched = fetch(sim, groupId, partition.getTopic(), partition.getPartition());
            assertEquals(request.getTopics(i).getPartitions(0).getCommittedOffset(), fetched.getCommittedOffset(),
                    sim.context());
            assertEquals(sim.now(), fetched.getCommitTimestampMs(), sim.context());
        }
        assertEquals(accepted, result.records().size(), sim.context() + ": one record per accepted partition");
        sim.stats.acceptedCommits += accepted;
    }

    private static CommittedOffset fetch(GroupShardSimulation sim, String groupId, String topic, int partition) {
        return sim.leader().fetchOffsets(OffsetFetchRequest.newBuilder().setGroupId(groupId).addTopics(
                TopicPartitions.newBuilder().setTopic(topic).addPartitions(partition)).build()).getOffsets(0);
    }

    private static OffsetCommitRequest commitRequest(String groupId, String memberId, int epoch,
                                                     List<TopicPartition> partitions, long offset) {
        OffsetCommitRequest.Builder request = OffsetCommitRequest.newBuilder().setGroupId(groupId)
                .setMemberId(memberId).setMemberEpoch(epoch);
        for (TopicPartition tp : partitions) {
            request.addTopics(OffsetCommitTopic.newBuilder().setTopic(tp.topic()).addPartitions(
                    OffsetCommitPartition.newBuilder().setPartition(tp.partition()).setCommittedOffset(offset + 1)
                            .setCommittedLeaderEpoch(-1).setMetadata("m" + offset)));
        }
        return request.build();
    }

    /** Deleting offsets: refused for topics a member subscribes to, else tombstones for what was committed. */
    static void deleteOffsets(GroupShardSimulation sim, String groupId, String topic) {
        GroupDescription group = sim.leader().describeGroup(groupId, ShardHarness.COORDINATOR_ID);
        boolean subscribed = group.getMembersList().stream().anyMatch(m -> subscribes(m, topic));
        int committed = 0;
        for (int partition = 0; partition < 3; partition++) {
            committed += fetch(sim, groupId, topic, partition).getCommittedOffset() >= 0 ? 1 : 0;
        }
        OffsetDeleteRequest request = OffsetDeleteRequest.newBuilder().setGroupId(groupId).addTopics(
                TopicPartitions.newBuilder().setTopic(topic).addPartitions(0).addPartitions(1).addPartitions(2)).build();
        CoordinatorResult<OffsetDeleteResponse> result = sim.run(shard -> shard.deleteOffsets(request, sim.topics()));
        if (group.getErrorCode() == ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND) {
            assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND, result.response().getErrorCode(), sim.context());
            assertTrue(result.records().isEmpty(), sim.context());
            return;
        }
        ErrorCode expected = subscribed ? ErrorCode.ERROR_CODE_GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.ERROR_CODE_NONE;
        result.response().getPartitionsList().forEach(p -> assertEquals(expected, p.getErrorCode(), sim.context()));
        assertEquals(subscribed ? 0 : committed, result.records().size(), sim.context());
        assertTrue(result.records().stream().allMatch(CoordinatorRecord::isTombstone), sim.context());
        sim.stats.deletedOffsets += result.records().size();
    }

    private static boolean subscribes(GroupMember member, String topic) {
        String regex = member.getSubscription().getTopicRegex();
        return regex.isEmpty() ? member.getSubscription().getTopicNamesList().contains(topic)
                : Pattern.compile(regex).matcher(topic).matches();
    }

    /** Deleting a group: only an existing group without members, which then no longer exists. */
    static void deleteGroup(GroupShardSimulation sim, String groupId) {
        GroupDescription group = sim.leader().describeGroup(groupId, ShardHarness.COORDINATOR_ID);
        CoordinatorResult<GroupResult> result = sim.run(shard -> shard.deleteGroup(groupId));
        ErrorCode expected = group.getErrorCode() == ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND
                ? ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND
                : group.getMembersCount() > 0 ? ErrorCode.ERROR_CODE_NON_EMPTY_GROUP : ErrorCode.ERROR_CODE_NONE;
        assertEquals(expected, result.response().getErrorCode(), sim.context() + ": " + group);
        if (expected != ErrorCode.ERROR_CODE_NONE) {
            assertTrue(result.records().isEmpty(), sim.context());
            return;
        }
        assertEquals(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND,
                sim.leader().describeGroup(groupId, ShardHarness.COORDINATOR_ID).getErrorCode(), sim.context());
        assertEquals(0, sim.leader().fetchOffsets(OffsetFetchRequest.newBuilder().setGroupId(groupId).build())
                .getOffsetsCount(), sim.context());
        sim.stats.deletedGroups++;
    }
}
