package io.tributary.broker.group;

import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.GroupDescription;
import io.tributary.proto.v1.GroupListing;
import io.tributary.proto.v1.GroupMember;
import io.tributary.proto.v1.Subscription;
import io.tributary.proto.v1.TopicPartitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** DescribeGroups and ListGroups answers built from a shard's state (read-only). */
final class GroupDescriptions {

    private GroupDescriptions() {
    }

    static GroupDescription describe(GroupState state, String groupId, int coordinatorId) {
        GroupDescription.Builder description = GroupDescription.newBuilder().setGroupId(groupId)
                .setCoordinatorId(coordinatorId);
        if (!state.exists(groupId)) {
            return description.setErrorCode(ErrorCode.ERROR_CODE_GROUP_ID_NOT_FOUND)
                    .setErrorMessage("group '" + groupId + "' does not exist").build();
        }
        description.setErrorCode(ErrorCode.ERROR_CODE_NONE).setState("Empty");
        state.group(groupId).ifPresent(group -> {
            description.setState(group.state()).setGroupEpoch(group.groupEpoch())
                    .setAssignmentEpoch(group.assignmentEpoch()).setAssignor(group.assignor());
            for (ConsumerGroupMember member : group.members().values()) {
                description.addMembers(GroupMember.newBuilder().setMemberId(member.memberId())
                        .setInstanceId(member.instanceId()).setClientId(member.clientId())
                        .setClientHost(member.clientHost()).setMemberEpoch(member.memberEpoch())
                        .setSubscription(Subscription.newBuilder().addAllTopicNames(member.subscribedTopicNames())
                                .setTopicRegex(member.subscribedTopicRegex()))
                        .addAllAssignment(topicPartitions(member.assigned()))
                        .addAllTargetAssignment(topicPartitions(group.targetAssignment(member.memberId()))));
            }
        });
        return description.build();
    }

    static List<GroupListing> list(GroupState state, Set<String> statesFilter, int coordinatorId) {
        List<GroupListing> listings = new ArrayList<>();
        for (String groupId : state.groupIds()) {
            String groupState = state.group(groupId).map(ConsumerGroup::state).orElse("Empty");
            if (statesFilter.isEmpty() || statesFilter.stream().anyMatch(groupState::equalsIgnoreCase)) {
                listings.add(GroupListing.newBuilder().setGroupId(groupId).setState(groupState)
                        .setGroupType("consumer").setCoordinatorId(coordinatorId).build());
            }
        }
        return listings;
    }

    static List<TopicPartitions> topicPartitions(MemberAssignment assignment) {
        List<TopicPartitions> topics = new ArrayList<>();
        assignment.partitionsByTopic().forEach((topic, partitions) ->
                topics.add(TopicPartitions.newBuilder().setTopic(topic).addAllPartitions(partitions).build()));
        return topics;
    }
}
