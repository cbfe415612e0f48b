package io.tributary.broker.group;

import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.OwnedPartitions;
import io.tributary.proto.v1.Subscription;
import java.util.Set;
import java.util.TreeSet;

/**
 * A consumer as the group protocol expects it to behave, for {@link GroupShardSimulation}: it joins
 * with epoch 0, heartbeats at the epoch it was last answered, consumes what it is answered, keeps
 * consuming revoked partitions until it releases them (commit, then a heartbeat reporting what it
 * still owns), and after being fenced or forgotten drops everything and rejoins.
 */
final class SimulatedConsumer {

    final String name;
    final String groupId;
    /** Empty for a dynamic member. */
    final String instanceId;
    String memberId;
    boolean joined;
    int epoch;
    Subscription subscription;
    String assignor = "";
    int rebalanceTimeoutMs;
    /** What it consumes: answered partitions plus revoked ones it has not released yet. */
    final Set<TopicPartition> held = new TreeSet<>();
    /** Revoked partitions it still consumes. */
    final Set<TopicPartition> toRelease = new TreeSet<>();
    /** What it last reported owning, or null when its next heartbeat must report it anyway. */
    private Set<TopicPartition> lastReported = Set.of();
    /** Its next heartbeat must report owned partitions (after a lost answer). */
    boolean reportOwned;

    SimulatedConsumer(String name, String groupId, String instanceId, Subscription subscription,
                      int rebalanceTimeoutMs) {
        this.name = name;
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.subscription = subscription;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    }

    boolean isStatic() {
        return !instanceId.isEmpty();
    }

    ConsumerGroupHeartbeatRequest joinRequest() {
        return ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(groupId).setMemberId(memberId).setMemberEpoch(0)
                .setInstanceId(instanceId).setSubscription(subscription).setServerAssignor(assignor)
                .setOwnedPartitions(OwnedPartitions.getDefaultInstance()).setRebalanceTimeoutMs(rebalanceTimeoutMs)
                .setClientId(name).build();
    }

    /**
     * A heartbeat at its epoch, reporting what it owns when that changed since its last report (as the
     * protocol asks) or after a lost answer; {@code release} first stops consuming the revoked partitions.
     */
    ConsumerGroupHeartbeatRequest.Builder heartbeatRequest(boolean release) {
        ConsumerGroupHeartbeatRequest.Builder request = ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(groupId)
                .setMemberId(memberId).setMemberEpoch(epoch).setInstanceId(instanceId);
        if (release) {
            held.removeAll(toRelease);
            toRelease.clear();
        }
        if (reportOwned || !held.equals(lastReported)) {
            request.setOwnedPartitions(ownedPartitions());
            reportOwned = false;
        }
        return request;
    }

    OwnedPartitions ownedPartitions() {
        lastReported = Set.copyOf(held);
        return OwnedPartitions.newBuilder().addAllTopics(ShardHarness.topicPartitions(held)).build();
    }

    ConsumerGroupHeartbeatRequest leaveRequest(int leaveEpoch) {
        return ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(groupId).setMemberId(memberId)
                .setMemberEpoch(leaveEpoch).setInstanceId(instanceId).build();
    }

    /** A successful answer: consume the new partitions, keep the revoked ones until releasing them. */
    void answered(ConsumerGroupHeartbeatResponse response) {
        Set<TopicPartition> assignment = ShardHarness.partitions(response.getAssignmentList());
        joined = true;
        epoch = response.getMemberEpoch();
        for (TopicPartition tp : held) {
            if (!assignment.contains(tp)) {
                toRelease.add(tp);
            }
        }
        toRelease.removeAll(assignment);
        held.addAll(assignment);
    }

    /** Left, fenced or forgotten: it consumes nothing and must join again with epoch 0. */
    void reset(boolean newMemberId) {
        joined = false;
        epoch = 0;
        held.clear();
        toRelease.clear();
        reportOwned = false;
        lastReported = Set.of();
        if (newMemberId) {
            memberId = null;
        }
    }

    @Override
    public String toString() {
        return name + "{member=" + memberId + ", joined=" + joined + ", epoch=" + epoch + ", held=" + held
                + ", toRelease=" + toRelease + "}";
    }
}
