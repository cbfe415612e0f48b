package io.tributary.broker.group;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.FencedMemberEpochException;
import io.tributary.common.errors.GroupIdNotFoundException;
import io.tributary.common.errors.GroupNotEmptyException;
import io.tributary.common.errors.InvalidGroupIdException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.OffsetMetadataTooLargeException;
import io.tributary.common.errors.PartitionNotAssignedException;
import io.tributary.common.errors.StaleMemberEpochException;
import io.tributary.common.errors.UnknownMemberIdException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.coordinator.v1.OffsetCommitValue;
import io.tributary.proto.v1.CommittedOffset;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitPartitionResult;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.OffsetDeleteRequest;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OffsetFetchResponse;
import io.tributary.proto.v1.TopicPartitions;
import java.util.Map;

/**
 * Offset commits, fetches and deletions. Validates before generating records, so a refused request
 * changes nothing; the partitions of one commit that pass are written together. Owned by the shard's
 * thread.
 */
final class GroupRequests {

    private static final int MAX_GROUP_ID_LENGTH = 255;

    private final GroupCoordinatorConfig config;
    private final GroupState state;

    GroupRequests(GroupCoordinatorConfig config, GroupState state) {
        this.config = config;
        this.state = state;
    }

    /** @throws InvalidGroupIdException when the id is empty or longer than 255 characters */
    static void checkGroupId(String groupId) {
        if (groupId.isEmpty() || groupId.length() > MAX_GROUP_ID_LENGTH) {
            throw new InvalidGroupIdException("group id must be 1 to " + MAX_GROUP_ID_LENGTH + " characters (got "
                    + groupId.length() + ")");
        }
    }

    OffsetCommitResponse commit(OffsetCommitRequest request, long nowMs, Map<String, Integer> topics,
                                RecordSink sink) {
        checkGroupId(request.getGroupId());
        if (request.getTopicsCount() == 0) {
            throw new InvalidRequestException("topics is empty: an offset commit needs at least one partition");
        }
        ConsumerGroupMember member = committer(request);
        OffsetCommitResponse.Builder response = OffsetCommitResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE);
        for (OffsetCommitTopic topic : request.getTopicsList()) {
            for (OffsetCommitPartition partition : topic.getPartitionsList()) {
                OffsetCommitPartitionResult.Builder result = OffsetCommitPartitionResult.newBuilder()
                        .setTopic(topic.getTopic()).setPartition(partition.getPartition())
                        .setErrorCode(ErrorCode.ERROR_CODE_NONE);
                try {
                    checkPartition(member, topic.getTopic(), partition, topics);
                    sink.append(CoordinatorRecord.offsetCommit(request.getGroupId(), topic.getTopic(),
                            partition.getPartition(), OffsetCommitValue.newBuilder()
                                    .setOffset(partition.getCommittedOffset())
                                    .setLeaderEpoch(partition.getCommittedLeaderEpoch())
                                    .setMetadata(partition.getMetadata()).setCommitTimestampMs(nowMs).build()));
                } catch (ApiException e) {
                    result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
                }
                response.addPartitions(result);
            }
        }
        return response.build();
    }

    /**
     * The committing member, or null for a non-member commit (allowed only while the group has no
     * members).
     */
    private ConsumerGroupMember committer(OffsetCommitRequest request) {
        String groupId = request.getGroupId();
        ConsumerGroup group = state.group(groupId).orElse(null);
        if (request.getMemberId().isEmpty()) {
            if (request.getMemberEpoch() != -1) {
                throw new InvalidRequestException("member_epoch must be -1 for a commit without member_id (got "
                        + request.getMemberEpoch() + ")");
            }
            if (group != null && !group.members().isEmpty()) {
                throw new GroupNotEmptyException("group '" + groupId + "' has " + group.members().size()
                        + " member(s) (state " + group.state() + "); only its members commit while it is active");
            }
            return null;
        }
        ConsumerGroupMember member = group == null ? null : group.member(request.getMemberId()).orElse(null);
        if (member == null || member.state() == MemberState.LEFT_STATIC) {
            throw new UnknownMemberIdException("member '" + request.getMemberId() + "' is not a member of group '"
                    + groupId + "'");
        }
        if (request.getMemberEpoch() < member.memberEpoch()) {
            throw new StaleMemberEpochException("member '" + member.memberId() + "' committed at epoch "
                    + request.getMemberEpoch() + " but its epoch is " + member.memberEpoch()
                    + "; heartbeat, then commit again");
        }
        if (request.getMemberEpoch() > member.memberEpoch()) {
            throw new FencedMemberEpochException("member '" + member.memberId() + "' committed at epoch "
                    + request.getMemberEpoch() + ", newer than its epoch " + member.memberEpoch());
        }
        return member;
    }

    private void checkPartition(ConsumerGroupMember member, String topic, OffsetCommitPartition partition,
                                Map<String, Integer> topics) {
        checkPartitionNumber(topic, partition.getPartition());
        TopicPartition tp = new TopicPartition(topic, partition.getPartition());
        if (partition.getCommittedOffset() < 0) {
            throw new InvalidRequestException("committed_offset of " + tp + " is negative ("
                    + partition.getCommittedOffset() + ")");
        }
        if (partition.getMetadata().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > config.offsetMetadataMaxBytes()) {
            throw new OffsetMetadataTooLargeException("the metadata of " + tp + " is longer than "
                    + GroupCoordinatorConfig.OFFSET_METADATA_MAX_BYTES + " (" + config.offsetMetadataMaxBytes()
                    + " bytes)");
        }
        Integer count = topics.get(topic);
        if (count == null || partition.getPartition() < 0 || partition.getPartition() >= count) {
            throw new UnknownTopicOrPartitionException("partition " + tp + " does not exist");
        }
        if (member != null && !Assignments.contains(member.owned(), tp)) {
            throw new PartitionNotAssignedException("partition " + tp + " is not assigned to member '"
                    + member.memberId() + "' (epoch " + member.memberEpoch() + ")");
        }
    }

    /** @throws InvalidRequestException for a negative partition number */
    static void checkPartitionNumber(String topic, int partition) {
        if (partition < 0) {
            throw new InvalidRequestException("partition " + partition + " of topic '" + topic + "' is negative");
        }
    }

    OffsetFetchResponse fetch(OffsetFetchRequest request) {
        checkGroupId(request.getGroupId());
        request.getTopicsList().forEach(t -> t.getPartitionsList().forEach(p -> checkPartitionNumber(t.getTopic(), p)));
        Map<TopicPartition, OffsetCommitValue> committed = state.offsets(request.getGroupId());
        OffsetFetchResponse.Builder response = OffsetFetchResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE);
        if (request.getTopicsCount() == 0) {
            committed.forEach((tp, value) -> response.addOffsets(committedOffset(tp, value)));
            return response.build();
        }
        for (TopicPartitions topic : request.getTopicsList()) {
            for (int partition : topic.getPartitionsList()) {
                TopicPartition tp = new TopicPartition(topic.getTopic(), partition);
                response.addOffsets(committedOffset(tp, committed.get(tp)));
            }
        }
        return response.build();
    }

    private static CommittedOffset committedOffset(TopicPartition tp, OffsetCommitValue value) {
        CommittedOffset.Builder offset = CommittedOffset.newBuilder().setTopic(tp.topic()).setPartition(tp.partition());
        if (value == null) {
            return offset.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setCommitTimestampMs(-1).build();
        }
        return offset.setCommittedOffset(value.getOffset()).setCommittedLeaderEpoch(value.getLeaderEpoch())
                .setMetadata(value.getMetadata()).setCommitTimestampMs(value.getCommitTimestampMs()).build();
    }

    OffsetDeleteResponse deleteOffsets(OffsetDeleteRequest request, Map<String, Integer> topics, RecordSink sink) {
        String groupId = request.getGroupId();
        checkGroupId(groupId);
        if (request.getTopicsCount() == 0) {
            throw new InvalidRequestException("topics is empty: name the partitions whose offsets to delete");
        }
        request.getTopicsList().forEach(t -> t.getPartitionsList().forEach(p -> checkPartitionNumber(t.getTopic(), p)));
        if (!state.exists(groupId)) {
            throw new GroupIdNotFoundException("group '" + groupId + "' does not exist");
        }
        ConsumerGroup group = state.group(groupId).orElse(null);
        OffsetDeleteResponse.Builder response = OffsetDeleteResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE);
        for (TopicPartitions topic : request.getTopicsList()) {
            boolean subscribed = group != null && group.members().values().stream()
                    .anyMatch(m -> GroupRebalancer.resolvedSubscription(m, topics).contains(topic.getTopic()));
            for (int partition : topic.getPartitionsList()) {
                OffsetCommitPartitionResult.Builder result = OffsetCommitPartitionResult.newBuilder()
                        .setTopic(topic.getTopic()).setPartition(partition).setErrorCode(ErrorCode.ERROR_CODE_NONE);
                if (subscribed) {
                    result.setErrorCode(ErrorCode.ERROR_CODE_GROUP_SUBSCRIBED_TO_TOPIC).setErrorMessage("members of "
                            + "group '" + groupId + "' subscribe to topic '" + topic.getTopic() + "'");
                } else if (state.offsets(groupId).containsKey(new TopicPartition(topic.getTopic(), partition))) {
                    sink.append(CoordinatorRecord.offsetCommit(groupId, topic.getTopic(), partition, null));
                } else if (partition >= topics.getOrDefault(topic.getTopic(), 0)) {
                    result.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION).setErrorMessage("partition "
                            + new TopicPartition(topic.getTopic(), partition) + " does not exist");
                }
                response.addPartitions(result);
            }
        }
        return response.build();
    }

    /** Deletes an empty group: its offsets, then its membership state. */
    void deleteGroup(String groupId, RecordSink sink) {
        checkGroupId(groupId);
        if (!state.exists(groupId)) {
            throw new GroupIdNotFoundException("group '" + groupId + "' does not exist");
        }
        ConsumerGroup group = state.group(groupId).orElse(null);
        if (group != null && !group.members().isEmpty()) {
            throw new GroupNotEmptyException("group '" + groupId + "' has " + group.members().size()
                    + " member(s) (state " + group.state() + "); only empty groups can be deleted");
        }
        deleteEmptyGroup(groupId, sink);
    }

    void deleteEmptyGroup(String groupId, RecordSink sink) {
        for (TopicPartition tp : state.offsets(groupId).keySet().toArray(TopicPartition[]::new)) {
            sink.append(CoordinatorRecord.offsetCommit(groupId, tp.topic(), tp.partition(), null));
        }
        if (state.group(groupId).isPresent()) {
            sink.append(CoordinatorRecord.targetAssignmentMetadata(groupId, null));
            sink.append(CoordinatorRecord.groupMetadata(groupId, null));
        }
    }

    /**
     * Expires offsets as Kafka does (KIP-211, KIP-496): in a group without members, an offset
     * expires offsets.retention.minutes after the later of its commit and the moment the group
     * became empty, and a group left with nothing is deleted; in a group with members, only offsets
     * of topics no member subscribes to expire, retention after their commit.
     */
    void expireOffsets(long nowMs, Map<String, Integer> topics, RecordSink sink) {
        for (String groupId : state.groupIds()) {
            ConsumerGroup group = state.group(groupId).orElse(null);
            boolean empty = group == null || group.members().isEmpty();
            long emptySinceMs = group == null ? 0 : group.emptySinceMs();
            for (Map.Entry<TopicPartition, OffsetCommitValue> entry : Map.copyOf(state.offsets(groupId)).entrySet()) {
                long baseMs = empty ? Math.max(entry.getValue().getCommitTimestampMs(), emptySinceMs)
                        : entry.getValue().getCommitTimestampMs();
                boolean unused = empty || group.members().values().stream().noneMatch(m ->
                        GroupRebalancer.resolvedSubscription(m, topics).contains(entry.getKey().topic()));
                if (unused && nowMs - baseMs >= config.offsetsRetentionMs()) {
                    sink.append(CoordinatorRecord.offsetCommit(groupId, entry.getKey().topic(),
                            entry.getKey().partition(), null));
                }
            }
            if (empty && state.offsets(groupId).isEmpty() && nowMs - emptySinceMs >= config.offsetsRetentionMs()) {
                deleteEmptyGroup(groupId, sink);
            }
        }
    }
}
