package io.tributary.broker.group;

import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.common.errors.FencedInstanceIdException;
import io.tributary.common.errors.FencedMemberEpochException;
import io.tributary.common.errors.InvalidRegularExpressionException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.InvalidSessionTimeoutException;
import io.tributary.common.errors.UnknownMemberIdException;
import io.tributary.proto.coordinator.v1.MemberMetadataValue;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.Subscription;
import io.tributary.proto.v1.TopicPartitions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ConsumerGroupHeartbeat: joins, heartbeats and leaves, as the protocol in group_service.proto
 * describes. Validates everything before generating the first record, so a refused heartbeat
 * changes nothing. Owned by the shard's thread.
 */
final class ConsumerGroupHeartbeats {

    static final int LEAVE_EPOCH = -1;
    static final int STATIC_LEAVE_EPOCH = -2;
    private static final int DEFAULT_REBALANCE_TIMEOUT_MS = 300_000;
    private static final int MAX_ID_LENGTH = 255;
    private static final int MAX_TOPIC_NAME_LENGTH = 249;
    private static final int MAX_REGEX_LENGTH = 4096;

    private final GroupCoordinatorConfig config;
    private final GroupState state;
    private final MemberTimers timers;
    private final GroupRebalancer rebalancer;

    ConsumerGroupHeartbeats(GroupCoordinatorConfig config, GroupState state, MemberTimers timers,
                            GroupRebalancer rebalancer) {
        this.config = config;
        this.state = state;
        this.timers = timers;
        this.rebalancer = rebalancer;
    }

    ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest request, String clientHost, long nowMs,
                                             Map<String, Integer> topics, RecordSink sink) {
        GroupRequests.checkGroupId(request.getGroupId());
        String memberId = request.getMemberId();
        if (memberId.isEmpty() || memberId.length() > MAX_ID_LENGTH) {
            throw new InvalidRequestException("member_id must be 1 to " + MAX_ID_LENGTH + " characters (got "
                    + memberId.length() + ")");
        }
        checkSizes(request);
        int epoch = request.getMemberEpoch();
        if (epoch == LEAVE_EPOCH || epoch == STATIC_LEAVE_EPOCH) {
            return leave(request, nowMs, topics, sink);
        }
        if (epoch < 0) {
            throw new InvalidRequestException("member_epoch " + epoch + " is invalid: 0 joins, -1 leaves, -2 leaves "
                    + "temporarily (static members), otherwise the member's current epoch");
        }
        ConsumerGroupMember member = epoch == 0 ? join(request, clientHost, topics, sink)
                : existingMember(request, topics, sink);
        ConsumerGroup group = state.group(request.getGroupId()).orElseThrow();
        if (request.getRebalanceRequested()) {
            rebalancer.bumpEpoch(group, topics, sink);
        } else {
            rebalancer.refreshEpoch(group, topics, sink);
        }
        rebalancer.maybeComputeTargetAssignment(group, topics, sink);
        ConsumerGroupMember current = group.member(member.memberId()).orElseThrow();
        // Only a heartbeat at the member's current epoch proves what it released: an older one
        // (a delayed retry) may predate partitions it was given since.
        MemberAssignment reportedOwned = request.hasOwnedPartitions() && epoch == current.memberEpoch()
                ? toAssignment(request.getOwnedPartitions().getTopicsList()) : null;
        ConsumerGroupMember reconciled = MemberReconciler.reconcile(current, group,
                group.targetAssignment(memberId), reportedOwned);
        if (reconciled != current) {
            sink.append(CoordinatorRecord.currentAssignment(group.groupId(), memberId, reconciled.assignmentValue()));
        }
        timers.renewSession(group.groupId(), memberId, nowMs + reconciled.sessionTimeoutMs());
        if (reconciled.state() == MemberState.UNREVOKED_PARTITIONS) {
            if (!reconciled.pendingRevocation().equals(current.pendingRevocation())) {
                timers.stopRevocation(group.groupId(), memberId);
            }
            timers.startRevocation(group.groupId(), memberId, nowMs + reconciled.rebalanceTimeoutMs());
        } else {
            timers.stopRevocation(group.groupId(), memberId);
        }
        return answer(reconciled);
    }

    /** Epoch 0: a new member, a member rejoining after being fenced, or a static member taking over. */
    private ConsumerGroupMember join(ConsumerGroupHeartbeatRequest request, String clientHost,
                                     Map<String, Integer> topics, RecordSink sink) {
        if (!request.hasSubscription()) {
            throw new InvalidRequestException("subscription is required when joining (member_epoch 0)");
        }
        MemberMetadataValue metadata = metadata(request, clientHost);
        String groupId = request.getGroupId();
        ConsumerGroup group = state.group(groupId).orElse(null);
        String instanceId = request.getInstanceId();
        String previousStatic = group == null || instanceId.isEmpty() ? null
                : group.staticMemberId(instanceId).orElse(null);
        if (previousStatic != null && !previousStatic.equals(request.getMemberId())) {
            return replaceStaticMember(group, group.member(previousStatic).orElseThrow(), request.getMemberId(),
                    metadata, topics, sink);
        }
        ConsumerGroupMember existing = group == null ? null : group.member(request.getMemberId()).orElse(null);
        if (existing != null) {
            // Joining again means owning nothing (a fenced member lost its partitions; a static
            // member back under its own id resumes): its partitions are free, its target stays.
            ConsumerGroupMember rejoined = existing.rejoined();
            if (!rejoined.equals(existing)) {
                sink.append(CoordinatorRecord.currentAssignment(groupId, existing.memberId(),
                        rejoined.assignmentValue()));
            }
        }
        if (existing == null || !existing.metadataValue().equals(metadata)) {
            sink.append(CoordinatorRecord.memberMetadata(groupId, request.getMemberId(), metadata));
            rebalancer.bumpEpoch(state.group(groupId).orElseThrow(), topics, sink);
        }
        return state.group(groupId).orElseThrow().member(request.getMemberId()).orElseThrow();
    }

    /**
     * A restarted static member: the new member id takes over the old one's epoch, assignment and
     * target, so nothing is reassigned unless it comes back with another subscription or assignor;
     * the old member id is gone (a zombie using it is fenced).
     */
    private ConsumerGroupMember replaceStaticMember(ConsumerGroup group, ConsumerGroupMember old, String newMemberId,
                                                   MemberMetadataValue metadata, Map<String, Integer> topics,
                                                   RecordSink sink) {
        String groupId = group.groupId();
        boolean wasMember = group.member(newMemberId).isPresent();
        if (wasMember) {
            // A member taking an instance id another member holds: its own place in the group goes.
            rebalancer.removeMemberRecords(group, newMemberId, sink);
        }
        MemberAssignment target = group.targetAssignment(old.memberId());
        MemberState state = old.state() == MemberState.LEFT_STATIC ? MemberState.STABLE : old.state();
        ConsumerGroupMember replacement = ConsumerGroupMember.joined(newMemberId, metadata).withAssignment(
                old.memberEpoch(), old.previousMemberEpoch(), state, old.assigned(), old.pendingRevocation());
        rebalancer.removeMemberRecords(group, old.memberId(), sink);
        timers.forget(groupId, old.memberId());
        sink.append(CoordinatorRecord.memberMetadata(groupId, newMemberId, metadata));
        sink.append(CoordinatorRecord.targetAssignmentMember(groupId, newMemberId, target));
        sink.append(CoordinatorRecord.currentAssignment(groupId, newMemberId, replacement.assignmentValue()));
        if (wasMember || !replacement.subscribedTopicNames().equals(old.subscribedTopicNames())
                || !replacement.subscribedTopicRegex().equals(old.subscribedTopicRegex())
                || !replacement.serverAssignor().equals(old.serverAssignor())) {
            rebalancer.bumpEpoch(group, topics, sink);
        }
        return group.member(newMemberId).orElseThrow();
    }

    /** A heartbeat with an epoch: checks the member and its epoch, then applies a changed subscription. */
    private ConsumerGroupMember existingMember(ConsumerGroupHeartbeatRequest request, Map<String, Integer> topics,
                                               RecordSink sink) {
        ConsumerGroupMember member = knownMember(request.getGroupId(), request.getMemberId(), request.getInstanceId());
        int epoch = request.getMemberEpoch();
        boolean current = epoch == member.memberEpoch() && member.state() != MemberState.LEFT_STATIC;
        boolean lostAnswer = epoch == member.previousMemberEpoch() && request.hasOwnedPartitions()
                && Assignments.containsAll(member.owned(),
                        toAssignment(request.getOwnedPartitions().getTopicsList()));
        if (!current && !lostAnswer) {
            throw new FencedMemberEpochException("member '" + member.memberId() + "' of group '"
                    + request.getGroupId() + "' sent epoch " + epoch + " but its epoch is " + member.memberEpoch()
                    + "; it has lost its partitions and must rejoin with epoch 0");
        }
        boolean assignorChanged = !request.getServerAssignor().isEmpty()
                && !request.getServerAssignor().equals(member.serverAssignor());
        if (request.hasSubscription() || assignorChanged) {
            MemberMetadataValue updated = updatedMetadata(request, member);
            if (!updated.equals(member.metadataValue())) {
                ConsumerGroup group = state.group(request.getGroupId()).orElseThrow();
                sink.append(CoordinatorRecord.memberMetadata(request.getGroupId(), member.memberId(), updated));
                rebalancer.bumpEpoch(group, topics, sink);
            }
        }
        return member;
    }

    private ConsumerGroupMember knownMember(String groupId, String memberId, String instanceId) {
        ConsumerGroup group = state.group(groupId).orElse(null);
        ConsumerGroupMember member = group == null ? null : group.member(memberId).orElse(null);
        if (member != null) {
            return member;
        }
        if (group != null && !instanceId.isEmpty() && group.staticMemberId(instanceId).isPresent()) {
            throw new FencedInstanceIdException("group.instance.id '" + instanceId + "' of group '" + groupId
                    + "' is now used by member '" + group.staticMemberId(instanceId).get() + "', which replaced "
                    + "member '" + memberId + "'");
        }
        throw new UnknownMemberIdException("member '" + memberId + "' is not a member of group '" + groupId
                + "'; rejoin with epoch 0");
    }

    private ConsumerGroupHeartbeatResponse leave(ConsumerGroupHeartbeatRequest request, long nowMs,
                                                 Map<String, Integer> topics, RecordSink sink) {
        int epoch = request.getMemberEpoch();
        ConsumerGroup group = state.group(request.getGroupId()).orElse(null);
        ConsumerGroupMember member = group == null ? null : group.member(request.getMemberId()).orElse(null);
        if (member != null && epoch == STATIC_LEAVE_EPOCH) {
            if (!member.isStatic()) {
                throw new InvalidRequestException("member '" + member.memberId() + "' has no instance_id, so it "
                        + "cannot leave temporarily (epoch -2); leave with -1");
            }
            ConsumerGroupMember left = member.withAssignment(member.memberEpoch(), member.previousMemberEpoch(),
                    MemberState.LEFT_STATIC, member.assigned(), member.pendingRevocation());
            sink.append(CoordinatorRecord.currentAssignment(group.groupId(), member.memberId(), left.assignmentValue()));
            timers.stopRevocation(group.groupId(), member.memberId());
            timers.renewSession(group.groupId(), member.memberId(), nowMs + member.sessionTimeoutMs());
        } else if (member != null) {
            rebalancer.removeMember(group, member.memberId(), topics, nowMs, sink);
            timers.forget(group.groupId(), member.memberId());
        }
        return ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE)
                .setMemberId(request.getMemberId()).setMemberEpoch(epoch)
                .setHeartbeatIntervalMs(config.heartbeatIntervalMs()).build();
    }

    /** Bounds what a member may make the coordinator store; checked before anything is written. */
    private static void checkSizes(ConsumerGroupHeartbeatRequest request) {
        checkLength("instance_id", request.getInstanceId(), MAX_ID_LENGTH);
        checkLength("client_id", request.getClientId(), MAX_ID_LENGTH);
        checkLength("server_assignor", request.getServerAssignor(), MAX_ID_LENGTH);
        checkLength("subscription.topic_regex", request.getSubscription().getTopicRegex(), MAX_REGEX_LENGTH);
        for (String topic : request.getSubscription().getTopicNamesList()) {
            checkLength("subscription.topic_names", topic, MAX_TOPIC_NAME_LENGTH);
        }
        if (request.hasOwnedPartitions()) {
            request.getOwnedPartitions().getTopicsList().forEach(t -> t.getPartitionsList()
                    .forEach(p -> GroupRequests.checkPartitionNumber(t.getTopic(), p)));
        }
    }

    private static void checkLength(String field, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw new InvalidRequestException(field + " is " + value.length() + " characters long; at most "
                    + maxLength + " are allowed");
        }
    }

    private MemberMetadataValue metadata(ConsumerGroupHeartbeatRequest request, String clientHost) {
        Subscription subscription = checkedSubscription(request.getSubscription());
        int sessionTimeoutMs = request.getSessionTimeoutMs() == 0 ? config.defaultSessionTimeoutMs()
                : request.getSessionTimeoutMs();
        checkTimeout("session_timeout_ms", sessionTimeoutMs, config.minSessionTimeoutMs());
        int rebalanceTimeoutMs = request.getRebalanceTimeoutMs() == 0
                ? Math.min(DEFAULT_REBALANCE_TIMEOUT_MS, config.maxSessionTimeoutMs()) : request.getRebalanceTimeoutMs();
        checkTimeout("rebalance_timeout_ms", rebalanceTimeoutMs, 1);
        if (!request.getServerAssignor().isEmpty()) {
            rebalancer.assignors().get(request.getServerAssignor());
        }
        return MemberMetadataValue.newBuilder().setInstanceId(request.getInstanceId())
                .setClientId(request.getClientId()).setClientHost(clientHost)
                .addAllSubscribedTopicNames(new TreeSet<>(subscription.getTopicNamesList()))
                .setSubscribedTopicRegex(subscription.getTopicRegex()).setSessionTimeoutMs(sessionTimeoutMs)
                .setRebalanceTimeoutMs(rebalanceTimeoutMs).setServerAssignor(request.getServerAssignor()).build();
    }

    private MemberMetadataValue updatedMetadata(ConsumerGroupHeartbeatRequest request, ConsumerGroupMember member) {
        MemberMetadataValue.Builder updated = member.metadataValue().toBuilder();
        if (request.hasSubscription()) {
            Subscription subscription = checkedSubscription(request.getSubscription());
            updated.clearSubscribedTopicNames().addAllSubscribedTopicNames(new TreeSet<>(subscription.getTopicNamesList()))
                    .setSubscribedTopicRegex(subscription.getTopicRegex());
        }
        if (!request.getServerAssignor().isEmpty()) {
            rebalancer.assignors().get(request.getServerAssignor());
            updated.setServerAssignor(request.getServerAssignor());
        }
        return updated.build();
    }

    private static Subscription checkedSubscription(Subscription subscription) {
        if (!subscription.getTopicRegex().isEmpty()) {
            if (subscription.getTopicNamesCount() > 0) {
                throw new InvalidRequestException("subscription has both topic_names and topic_regex; use one");
            }
            try {
                Pattern.compile(subscription.getTopicRegex());
            } catch (PatternSyntaxException e) {
                throw new InvalidRegularExpressionException("subscription regex '" + subscription.getTopicRegex()
                        + "' does not compile: " + e.getDescription() + " near index " + e.getIndex());
            }
        }
        for (String topic : subscription.getTopicNamesList()) {
            if (topic.isBlank()) {
                throw new InvalidRequestException("subscription.topic_names has an empty topic name");
            }
        }
        return subscription;
    }

    private void checkTimeout(String field, int valueMs, int minMs) {
        if (valueMs < minMs || valueMs > config.maxSessionTimeoutMs()) {
            throw new InvalidSessionTimeoutException(field + " " + valueMs + " is outside [" + minMs + ", "
                    + config.maxSessionTimeoutMs() + "] (" + GroupCoordinatorConfig.MIN_SESSION_TIMEOUT_MS + ", "
                    + GroupCoordinatorConfig.MAX_SESSION_TIMEOUT_MS + ")");
        }
    }

    private ConsumerGroupHeartbeatResponse answer(ConsumerGroupMember member) {
        int intervalMs = Math.max(1, Math.min(config.heartbeatIntervalMs(), member.sessionTimeoutMs() / 3));
        ConsumerGroupHeartbeatResponse.Builder response = ConsumerGroupHeartbeatResponse.newBuilder()
                .setErrorCode(ErrorCode.ERROR_CODE_NONE).setMemberId(member.memberId())
                .setMemberEpoch(member.memberEpoch()).setHeartbeatIntervalMs(intervalMs);
        return response.addAllAssignment(GroupDescriptions.topicPartitions(member.assigned())).build();
    }

    static MemberAssignment toAssignment(Iterable<TopicPartitions> topics) {
        Map<String, Set<Integer>> byTopic = new HashMap<>();
        for (TopicPartitions topic : topics) {
            byTopic.computeIfAbsent(topic.getTopic(), t -> new TreeSet<>()).addAll(topic.getPartitionsList());
        }
        return new MemberAssignment(byTopic);
    }
}
