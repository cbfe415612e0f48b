package io.tributary.broker.group;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.proto.coordinator.v1.CurrentAssignmentKey;
import io.tributary.proto.coordinator.v1.CurrentAssignmentValue;
import io.tributary.proto.coordinator.v1.GroupMetadataKey;
import io.tributary.proto.coordinator.v1.GroupMetadataValue;
import io.tributary.proto.coordinator.v1.MemberMetadataKey;
import io.tributary.proto.coordinator.v1.MemberMetadataValue;
import io.tributary.proto.coordinator.v1.OffsetCommitKey;
import io.tributary.proto.coordinator.v1.OffsetCommitValue;
import io.tributary.proto.coordinator.v1.Partitions;
import io.tributary.proto.coordinator.v1.RecordKey;
import io.tributary.proto.coordinator.v1.TargetAssignmentMemberKey;
import io.tributary.proto.coordinator.v1.TargetAssignmentMemberValue;
import io.tributary.proto.coordinator.v1.TargetAssignmentMetadataKey;
import io.tributary.proto.coordinator.v1.TargetAssignmentMetadataValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One record of a group coordinator's log (__consumer_offsets): a key naming a piece of state and
 * its value, or {@code null} (a tombstone) when that state is deleted. Keys and values are the
 * protobuf messages of {@code tributary/coordinator/v1/records.proto}.
 */
public record CoordinatorRecord(RecordKey key, Message value) {

    /** Whether the record deletes its key's state. */
    public boolean isTombstone() {
        return value == null;
    }

    public byte[] keyBytes() {
        return key.toByteArray();
    }

    /** The value's bytes, or null for a tombstone. */
    public byte[] valueBytes() {
        return value == null ? null : value.toByteArray();
    }

    /**
     * Decodes a record read from the log; null for a key of a kind this version does not know.
     *
     * @throws IllegalStateException when the bytes are not a coordinator record (a corrupt log)
     */
    public static CoordinatorRecord parse(ByteBuffer keyBytes, ByteBuffer valueBytes) {
        try {
            RecordKey key = RecordKey.parseFrom(keyBytes);
            if (key.getKeyCase() == RecordKey.KeyCase.KEY_NOT_SET) {
                return null;
            }
            if (valueBytes == null) {
                return new CoordinatorRecord(key, null);
            }
            Message value = switch (key.getKeyCase()) {
                case OFFSET_COMMIT -> OffsetCommitValue.parseFrom(valueBytes);
                case GROUP_METADATA -> GroupMetadataValue.parseFrom(valueBytes);
                case MEMBER_METADATA -> MemberMetadataValue.parseFrom(valueBytes);
                case TARGET_ASSIGNMENT_METADATA -> TargetAssignmentMetadataValue.parseFrom(valueBytes);
                case TARGET_ASSIGNMENT_MEMBER -> TargetAssignmentMemberValue.parseFrom(valueBytes);
                case CURRENT_ASSIGNMENT -> CurrentAssignmentValue.parseFrom(valueBytes);
                case KEY_NOT_SET -> throw new IllegalStateException("checked above");
            };
            return new CoordinatorRecord(key, value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a record of __consumer_offsets is not a coordinator record: "
                    + e.getMessage(), e);
        }
    }

    static CoordinatorRecord offsetCommit(String groupId, String topic, int partition, OffsetCommitValue value) {
        return new CoordinatorRecord(RecordKey.newBuilder().setOffsetCommit(OffsetCommitKey.newBuilder()
                .setGroupId(groupId).setTopic(topic).setPartition(partition)).build(), value);
    }

    static CoordinatorRecord groupMetadata(String groupId, GroupMetadataValue value) {
        return new CoordinatorRecord(RecordKey.newBuilder().setGroupMetadata(GroupMetadataKey.newBuilder()
                .setGroupId(groupId)).build(), value);
    }

    static CoordinatorRecord memberMetadata(String groupId, String memberId, MemberMetadataValue value) {
        return new CoordinatorRecord(RecordKey.newBuilder().setMemberMetadata(MemberMetadataKey.newBuilder()
                .setGroupId(groupId).setMemberId(memberId)).build(), value);
    }

    static CoordinatorRecord targetAssignmentMetadata(String groupId, TargetAssignmentMetadataValue value) {
        return new CoordinatorRecord(RecordKey.newBuilder().setTargetAssignmentMetadata(
                TargetAssignmentMetadataKey.newBuilder().setGroupId(groupId)).build(), value);
    }

    static CoordinatorRecord targetAssignmentMember(String groupId, String memberId, MemberAssignment assignment) {
        TargetAssignmentMemberValue value = assignment == null ? null
                : TargetAssignmentMemberValue.newBuilder().addAllPartitions(toProto(assignment)).build();
        return new CoordinatorRecord(RecordKey.newBuilder().setTargetAssignmentMember(
                TargetAssignmentMemberKey.newBuilder().setGroupId(groupId).setMemberId(memberId)).build(), value);
    }

    static CoordinatorRecord currentAssignment(String groupId, String memberId, CurrentAssignmentValue value) {
        return new CoordinatorRecord(RecordKey.newBuilder().setCurrentAssignment(CurrentAssignmentKey.newBuilder()
                .setGroupId(groupId).setMemberId(memberId)).build(), value);
    }

    static List<Partitions> toProto(MemberAssignment assignment) {
        List<Partitions> topics = new ArrayList<>();
        assignment.partitionsByTopic().forEach((topic, partitions) ->
                topics.add(Partitions.newBuilder().setTopic(topic).addAllPartitions(partitions).build()));
        return topics;
    }

    static MemberAssignment fromProto(List<Partitions> topics) {
        Map<String, Set<Integer>> byTopic = new TreeMap<>();
        for (Partitions topic : topics) {
            byTopic.computeIfAbsent(topic.getTopic(), t -> new HashSet<>()).addAll(topic.getPartitionsList());
        }
        return new MemberAssignment(byTopic);
    }
}
