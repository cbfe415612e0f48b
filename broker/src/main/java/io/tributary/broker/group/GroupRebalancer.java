package io.tributary.broker.group;

import io.tributary.broker.group.assignor.GroupAssignment;
import io.tributary.broker.group.assignor.GroupSpec;
import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.broker.group.assignor.MemberSpec;
import io.tributary.broker.group.assignor.TopicMetadata;
import io.tributary.proto.coordinator.v1.GroupMetadataValue;
import io.tributary.proto.coordinator.v1.TargetAssignmentMetadataValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-level half of rebalancing: bumps the group epoch when membership, subscriptions, the
 * chosen assignor or the subscribed topics' partition counts change, and computes the target
 * assignment for a new epoch with the group's assignor. Members then move to it one by one
 * ({@link MemberReconciler}).
 */
final class GroupRebalancer {

    private static final Logger log = LoggerFactory.getLogger(GroupRebalancer.class);

    private final GroupAssignors assignors;

    GroupRebalancer(GroupAssignors assignors) {
        this.assignors = assignors;
    }

    GroupAssignors assignors() {
        return assignors;
    }

    /** Starts a new group epoch, recording the current assignor and subscribed partition counts. */
    void bumpEpoch(ConsumerGroup group, Map<String, Integer> topics, RecordSink sink) {
        sink.append(CoordinatorRecord.groupMetadata(group.groupId(), GroupMetadataValue.newBuilder()
                .setEpoch(group.groupEpoch() + 1).setAssignor(chosenAssignor(group))
                .putAllSubscribedPartitionCounts(subscribedPartitionCounts(group, topics)).build()));
    }

    /** Bumps the epoch when a subscribed topic appeared, disappeared or grew, or the assignor choice moved. */
    void refreshEpoch(ConsumerGroup group, Map<String, Integer> topics, RecordSink sink) {
        if (!subscribedPartitionCounts(group, topics).equals(group.subscribedPartitionCounts())
                || !chosenAssignor(group).equals(group.assignor())) {
            bumpEpoch(group, topics, sink);
        }
    }

    /** Computes the target assignment when the group epoch moved past it. */
    void maybeComputeTargetAssignment(ConsumerGroup group, Map<String, Integer> topics, RecordSink sink) {
        if (group.assignmentEpoch() >= group.groupEpoch()) {
            return;
        }
        List<MemberSpec> specs = new ArrayList<>();
        for (ConsumerGroupMember member : group.members().values()) {
            specs.add(new MemberSpec(member.memberId(), member.isStatic() ? Optional.of(member.instanceId())
                    : Optional.empty(), resolvedSubscription(member, topics), group.targetAssignment(member.memberId())));
        }
        GroupAssignment assignment = assignors.get(group.assignor()).assign(new GroupSpec(specs),
                new TopicMetadata(group.subscribedPartitionCounts()));
        for (ConsumerGroupMember member : group.members().values()) {
            MemberAssignment target = assignment.members().getOrDefault(member.memberId(), MemberAssignment.EMPTY);
            if (!target.equals(group.targetAssignment(member.memberId()))) {
                sink.append(CoordinatorRecord.targetAssignmentMember(group.groupId(), member.memberId(), target));
            }
        }
        sink.append(CoordinatorRecord.targetAssignmentMetadata(group.groupId(),
                TargetAssignmentMetadataValue.newBuilder().setAssignmentEpoch(group.groupEpoch()).build()));
        log.info("Group {}: target assignment for epoch {} computed with the {} assignor over {} member(s)",
                group.groupId(), group.groupEpoch(), group.assignor(), specs.size());
    }

    /**
     * Removes a member (it left, or its session or rebalance timeout passed) and starts a new epoch;
     * the last one leaving records when the group became empty.
     */
    void removeMember(ConsumerGroup group, String memberId, Map<String, Integer> topics, long nowMs,
                      RecordSink sink) {
        removeMemberRecords(group, memberId, sink);
        if (!group.members().isEmpty()) {
            bumpEpoch(group, topics, sink);
        } else {
            sink.append(CoordinatorRecord.groupMetadata(group.groupId(), GroupMetadataValue.newBuilder()
                    .setEpoch(group.groupEpoch() + 1).setAssignor(group.assignor()).setEmptySinceMs(nowMs).build()));
        }
    }

    /** The tombstones of a member: what it owns, its target, then the member itself. */
    void removeMemberRecords(ConsumerGroup group, String memberId, RecordSink sink) {
        sink.append(CoordinatorRecord.currentAssignment(group.groupId(), memberId, null));
        sink.append(CoordinatorRecord.targetAssignmentMember(group.groupId(), memberId, null));
        sink.append(CoordinatorRecord.memberMetadata(group.groupId(), memberId, null));
    }

    /**
     * The assignor most members ask for among those this coordinator offers (ties broken by name),
     * else the coordinator's default (so a group whose members chose an assignor since removed
     * from group.consumer.assignors keeps working).
     */
    private String chosenAssignor(ConsumerGroup group) {
        Map<String, Integer> votes = new TreeMap<>();
        for (ConsumerGroupMember member : group.members().values()) {
            if (!member.serverAssignor().isEmpty() && assignors.offers(member.serverAssignor())) {
                votes.merge(member.serverAssignor(), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey)
                .orElse(assignors.defaultName());
    }

    /** The partition counts of the existing topics some member subscribes to. */
    static Map<String, Integer> subscribedPartitionCounts(ConsumerGroup group, Map<String, Integer> topics) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerGroupMember member : group.members().values()) {
            for (String topic : resolvedSubscription(member, topics)) {
                Integer count = topics.get(topic);
                if (count != null) {
                    counts.put(topic, count);
                }
            }
        }
        return counts;
    }

    /** The member's subscribed topic names, or the existing topics its regular expression matches. */
    static Set<String> resolvedSubscription(ConsumerGroupMember member, Map<String, Integer> topics) {
        if (member.subscribedTopicRegex().isEmpty()) {
            return member.subscribedTopicNames();
        }
        Pattern pattern = Pattern.compile(member.subscribedTopicRegex());
        Set<String> matched = new TreeSet<>();
        for (String topic : topics.keySet()) {
            if (pattern.matcher(topic).matches()) {
                matched.add(topic);
            }
        }
        return matched;
    }
}
