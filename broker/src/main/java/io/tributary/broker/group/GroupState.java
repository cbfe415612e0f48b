package io.tributary.broker.group;

import io.tributary.common.TopicPartition;
import io.tributary.proto.coordinator.v1.CurrentAssignmentValue;
import io.tributary.proto.coordinator.v1.GroupMetadataValue;
import io.tributary.proto.coordinator.v1.MemberMetadataValue;
import io.tributary.proto.coordinator.v1.OffsetCommitKey;
import io.tributary.proto.coordinator.v1.OffsetCommitValue;
import io.tributary.proto.coordinator.v1.RecordKey;
import io.tributary.proto.coordinator.v1.TargetAssignmentMemberValue;
import io.tributary.proto.coordinator.v1.TargetAssignmentMetadataValue;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything one coordinator shard knows: its groups and their committed offsets. Changed only by
 * {@link #replay}, which is the same code when a record is written and when the partition is loaded
 * on a new coordinator; each key's latest record is self-contained, so replaying a compacted log
 * gives the same state. Owned by the shard's thread.
 */
final class GroupState {

    private final Map<String, ConsumerGroup> groups = new TreeMap<>();
    private final Map<String, Map<TopicPartition, OffsetCommitValue>> offsets = new TreeMap<>();
    private final Set<String> groupsWithMetadata = new TreeSet<>();
    /** Groups a record touched since {@link #takeChangedGroups()} last ran. */
    private final Set<String> changedGroups = new TreeSet<>();
    private final boolean trackChangedGroups;

    /** With {@code trackChangedGroups} false, {@link #takeChangedGroups()} always answers empty. */
    GroupState(boolean trackChangedGroups) {
        this.trackChangedGroups = trackChangedGroups;
    }

    Optional<ConsumerGroup> group(String groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    /** Whether the group exists: it has membership state or committed offsets. */
    boolean exists(String groupId) {
        return groupsWithMetadata.contains(groupId) || offsets.containsKey(groupId);
    }

    /** Every existing group id, in order. */
    Set<String> groupIds() {
        Set<String> ids = new TreeSet<>(groupsWithMetadata);
        ids.addAll(offsets.keySet());
        return ids;
    }

    /** The group's committed offsets (read-only, possibly empty). */
    Map<TopicPartition, OffsetCommitValue> offsets(String groupId) {
        return Collections.unmodifiableMap(offsets.getOrDefault(groupId, Map.of()));
    }

    /** The groups changed since the previous call (or since the state was created), then forgets them. */
    Set<String> takeChangedGroups() {
        Set<String> changed = Set.copyOf(changedGroups);
        changedGroups.clear();
        return changed;
    }

    void replay(CoordinatorRecord record) {
        RecordKey key = record.key();
        if (trackChangedGroups) {
            changedGroups.add(groupIdOf(key));
        }
        switch (key.getKeyCase()) {
            case OFFSET_COMMIT -> replayOffset(key.getOffsetCommit(), (OffsetCommitValue) record.value());
            case GROUP_METADATA -> replayGroupMetadata(key.getGroupMetadata().getGroupId(),
                    (GroupMetadataValue) record.value());
            case MEMBER_METADATA -> replayMemberMetadata(key.getMemberMetadata().getGroupId(),
                    key.getMemberMetadata().getMemberId(), (MemberMetadataValue) record.value());
            case TARGET_ASSIGNMENT_METADATA -> {
                TargetAssignmentMetadataValue value = (TargetAssignmentMetadataValue) record.value();
                groupFor(key.getTargetAssignmentMetadata().getGroupId())
                        .replayTargetAssignmentEpoch(value == null ? 0 : value.getAssignmentEpoch());
            }
            case TARGET_ASSIGNMENT_MEMBER -> {
                TargetAssignmentMemberValue value = (TargetAssignmentMemberValue) record.value();
                groupFor(key.getTargetAssignmentMember().getGroupId()).replayTargetAssignment(
                        key.getTargetAssignmentMember().getMemberId(),
                        value == null ? null : CoordinatorRecord.fromProto(value.getPartitionsList()));
            }
            case CURRENT_ASSIGNMENT -> replayCurrentAssignment(key.getCurrentAssignment().getGroupId(),
                    key.getCurrentAssignment().getMemberId(), (CurrentAssignmentValue) record.value());
            case KEY_NOT_SET -> throw new IllegalStateException("a coordinator record has an empty key");
        }
    }

    private static String groupIdOf(RecordKey key) {
        return switch (key.getKeyCase()) {
            case OFFSET_COMMIT -> key.getOffsetCommit().getGroupId();
            case GROUP_METADATA -> key.getGroupMetadata().getGroupId();
            case MEMBER_METADATA -> key.getMemberMetadata().getGroupId();
            case TARGET_ASSIGNMENT_METADATA -> key.getTargetAssignmentMetadata().getGroupId();
            case TARGET_ASSIGNMENT_MEMBER -> key.getTargetAssignmentMember().getGroupId();
            case CURRENT_ASSIGNMENT -> key.getCurrentAssignment().getGroupId();
            case KEY_NOT_SET -> throw new IllegalStateException("a coordinator record has an empty key");
        };
    }

    private void replayOffset(OffsetCommitKey key, OffsetCommitValue value) {
        TopicPartition tp = new TopicPartition(key.getTopic(), key.getPartition());
        if (value != null) {
            offsets.computeIfAbsent(key.getGroupId(), g -> new TreeMap<>()).put(tp, value);
            return;
        }
        Map<TopicPartition, OffsetCommitValue> groupOffsets = offsets.get(key.getGroupId());
        if (groupOffsets != null) {
            groupOffsets.remove(tp);
            if (groupOffsets.isEmpty()) {
                offsets.remove(key.getGroupId());
            }
        }
    }

    private void replayGroupMetadata(String groupId, GroupMetadataValue value) {
        if (value == null) {
            groupsWithMetadata.remove(groupId);
            groups.remove(groupId);
            return;
        }
        groupsWithMetadata.add(groupId);
        groupFor(groupId).replayGroupMetadata(value.getEpoch(), value.getAssignor(),
                value.getSubscribedPartitionCountsMap(), value.getEmptySinceMs());
    }

    private void replayMemberMetadata(String groupId, String memberId, MemberMetadataValue value) {
        ConsumerGroup group = groupFor(groupId);
        if (value == null) {
            group.removeMember(memberId);
            return;
        }
        group.replayMember(group.member(memberId).map(m -> m.withMetadata(value))
                .orElseGet(() -> ConsumerGroupMember.joined(memberId, value)));
    }

    private void replayCurrentAssignment(String groupId, String memberId, CurrentAssignmentValue value) {
        ConsumerGroup group = groupFor(groupId);
        CurrentAssignmentValue assignment = value != null ? value : CurrentAssignmentValue.newBuilder()
                .setState(MemberState.STABLE.name()).build();
        ConsumerGroupMember member = group.member(memberId)
                .orElseGet(() -> ConsumerGroupMember.joined(memberId, MemberMetadataValue.getDefaultInstance()));
        if (value == null && group.member(memberId).isEmpty()) {
            return;
        }
        group.replayMember(member.withAssignment(assignment));
    }

    private ConsumerGroup groupFor(String groupId) {
        return groups.computeIfAbsent(groupId, ConsumerGroup::new);
    }
}
