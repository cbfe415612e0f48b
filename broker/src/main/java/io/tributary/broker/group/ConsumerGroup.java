package io.tributary.broker.group;

import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.common.TopicPartition;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One consumer group's membership state, changed only by replaying coordinator records (see
 * {@link GroupState}). Owned by its shard's thread.
 *
 * <p>It also keeps who owns each partition (assigned or still to be released), which is what
 * guarantees that a partition is given to a member only once no other member owns it.
 */
final class ConsumerGroup {

    private final String groupId;
    private int groupEpoch;
    private String assignor = "";
    private Map<String, Integer> subscribedPartitionCounts = Map.of();
    private int assignmentEpoch;
    private long emptySinceMs;
    private final Map<String, MemberAssignment> targetAssignment = new HashMap<>();
    private final Map<String, ConsumerGroupMember> members = new TreeMap<>();
    private final Map<String, String> staticMemberIds = new HashMap<>();
    private final Map<TopicPartition, String> owners = new HashMap<>();

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    String groupId() {
        return groupId;
    }

    int groupEpoch() {
        return groupEpoch;
    }

    String assignor() {
        return assignor;
    }

    Map<String, Integer> subscribedPartitionCounts() {
        return subscribedPartitionCounts;
    }

    int assignmentEpoch() {
        return assignmentEpoch;
    }

    /** When its last member left; 0 while it has members or if it never had any. */
    long emptySinceMs() {
        return emptySinceMs;
    }

    /** Members by member id, in id order (read-only). */
    Map<String, ConsumerGroupMember> members() {
        return java.util.Collections.unmodifiableMap(members);
    }

    Optional<ConsumerGroupMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    /** The member id currently using {@code instanceId}, if any. */
    Optional<String> staticMemberId(String instanceId) {
        return Optional.ofNullable(staticMemberIds.get(instanceId));
    }

    MemberAssignment targetAssignment(String memberId) {
        return targetAssignment.getOrDefault(memberId, MemberAssignment.EMPTY);
    }

    /** The member owning {@code tp} (assigned or still releasing it), if any. */
    Optional<String> owner(TopicPartition tp) {
        return Optional.ofNullable(owners.get(tp));
    }

    /** Empty, Assigning, Reconciling or Stable (the names DescribeGroups and ListGroups use). */
    String state() {
        if (members.isEmpty()) {
            return "Empty";
        }
        if (assignmentEpoch < groupEpoch) {
            return "Assigning";
        }
        boolean settled = members.values().stream().allMatch(m -> m.memberEpoch() == assignmentEpoch
                && (m.state() == MemberState.STABLE || m.state() == MemberState.LEFT_STATIC));
        return settled ? "Stable" : "Reconciling";
    }

    void replayGroupMetadata(int epoch, String assignorName, Map<String, Integer> partitionCounts,
                             long emptySinceMs) {
        this.emptySinceMs = emptySinceMs;
        this.groupEpoch = epoch;
        this.assignor = assignorName;
        this.subscribedPartitionCounts = Map.copyOf(partitionCounts);
    }

    void replayTargetAssignmentEpoch(int epoch) {
        this.assignmentEpoch = epoch;
    }

    void replayTargetAssignment(String memberId, MemberAssignment assignment) {
        if (assignment == null) {
            targetAssignment.remove(memberId);
        } else {
            targetAssignment.put(memberId, assignment);
        }
    }

    void replayMember(ConsumerGroupMember member) {
        ConsumerGroupMember previous = members.put(member.memberId(), member);
        if (previous != null) {
            forgetOwnership(previous);
            if (previous.isStatic() && !previous.instanceId().equals(member.instanceId())) {
                staticMemberIds.remove(previous.instanceId(), previous.memberId());
            }
        }
        if (member.isStatic()) {
            staticMemberIds.put(member.instanceId(), member.memberId());
        }
        for (TopicPartition tp : Assignments.partitions(member.owned())) {
            owners.put(tp, member.memberId());
        }
    }

    void removeMember(String memberId) {
        ConsumerGroupMember removed = members.remove(memberId);
        if (removed != null) {
            forgetOwnership(removed);
            if (removed.isStatic()) {
                staticMemberIds.remove(removed.instanceId(), memberId);
            }
        }
    }

    private void forgetOwnership(ConsumerGroupMember member) {
        for (TopicPartition tp : Assignments.partitions(member.owned())) {
            owners.remove(tp, member.memberId());
        }
    }
}
