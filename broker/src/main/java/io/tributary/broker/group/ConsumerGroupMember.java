package io.tributary.broker.group;

import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.proto.coordinator.v1.CurrentAssignmentValue;
import io.tributary.proto.coordinator.v1.MemberMetadataValue;
import java.util.Set;
import java.util.TreeSet;

/**
 * A member of a consumer group as the coordinator's state holds it: what it said when it joined
 * (subscription, timeouts, assignor, who it is) and where it is in the assignment (epochs, state,
 * owned partitions, partitions it must release). Immutable.
 *
 * @param instanceId its group.instance.id, empty for a dynamic member
 * @param subscribedTopicRegex empty unless it subscribes by regular expression
 * @param serverAssignor the assignor it asked for, empty for none
 * @param memberEpoch its epoch: the target-assignment epoch it last moved to
 * @param previousMemberEpoch its epoch before that (a member whose answer was lost may still use it)
 * @param assigned the partitions it owns
 * @param pendingRevocation partitions it still owns but must release
 */
record ConsumerGroupMember(String memberId, String instanceId, String clientId, String clientHost,
                           Set<String> subscribedTopicNames, String subscribedTopicRegex, int sessionTimeoutMs,
                           int rebalanceTimeoutMs, String serverAssignor, int memberEpoch, int previousMemberEpoch,
                           MemberState state, MemberAssignment assigned, MemberAssignment pendingRevocation) {

    ConsumerGroupMember {
        subscribedTopicNames = Set.copyOf(subscribedTopicNames);
    }

    /** A member that just joined: nothing assigned yet. */
    static ConsumerGroupMember joined(String memberId, MemberMetadataValue metadata) {
        return new ConsumerGroupMember(memberId, "", "", "", Set.of(), "", 0, 0, "", 0, 0, MemberState.STABLE,
                MemberAssignment.EMPTY, MemberAssignment.EMPTY).withMetadata(metadata);
    }

    ConsumerGroupMember withMetadata(MemberMetadataValue metadata) {
        return new ConsumerGroupMember(memberId, metadata.getInstanceId(), metadata.getClientId(),
                metadata.getClientHost(), new TreeSet<>(metadata.getSubscribedTopicNamesList()),
                metadata.getSubscribedTopicRegex(), metadata.getSessionTimeoutMs(), metadata.getRebalanceTimeoutMs(),
                metadata.getServerAssignor(), memberEpoch, previousMemberEpoch, state, assigned, pendingRevocation);
    }

    ConsumerGroupMember withAssignment(CurrentAssignmentValue value) {
        return withAssignment(value.getMemberEpoch(), value.getPreviousMemberEpoch(),
                MemberState.valueOf(value.getState()), CoordinatorRecord.fromProto(value.getAssignedList()),
                CoordinatorRecord.fromProto(value.getPendingRevocationList()));
    }

    /** This member (same metadata) at another point of its assignment. */
    ConsumerGroupMember withAssignment(int epoch, int previousEpoch, MemberState newState,
                                       MemberAssignment newAssigned, MemberAssignment newPendingRevocation) {
        return new ConsumerGroupMember(memberId, instanceId, clientId, clientHost, subscribedTopicNames,
                subscribedTopicRegex, sessionTimeoutMs, rebalanceTimeoutMs, serverAssignor, epoch, previousEpoch,
                newState, newAssigned, newPendingRevocation);
    }

    MemberMetadataValue metadataValue() {
        return MemberMetadataValue.newBuilder().setInstanceId(instanceId).setClientId(clientId)
                .setClientHost(clientHost).addAllSubscribedTopicNames(new TreeSet<>(subscribedTopicNames))
                .setSubscribedTopicRegex(subscribedTopicRegex).setSessionTimeoutMs(sessionTimeoutMs)
                .setRebalanceTimeoutMs(rebalanceTimeoutMs).setServerAssignor(serverAssignor).build();
    }

    CurrentAssignmentValue assignmentValue() {
        return CurrentAssignmentValue.newBuilder().setMemberEpoch(memberEpoch)
                .setPreviousMemberEpoch(previousMemberEpoch).setState(state.name())
                .addAllAssigned(CoordinatorRecord.toProto(assigned))
                .addAllPendingRevocation(CoordinatorRecord.toProto(pendingRevocation)).build();
    }

    /** The member after joining again with epoch 0: it owns nothing and moves to its target afresh. */
    ConsumerGroupMember rejoined() {
        return withAssignment(0, 0, MemberState.STABLE, MemberAssignment.EMPTY, MemberAssignment.EMPTY);
    }

    boolean isStatic() {
        return !instanceId.isEmpty();
    }

    /** The partitions it owns: assigned plus those it has yet to release. */
    MemberAssignment owned() {
        return Assignments.union(assigned, pendingRevocation);
    }
}
