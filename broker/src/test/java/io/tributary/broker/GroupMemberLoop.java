package io.tributary.broker;

import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.Coordinator;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OwnedPartitions;
import io.tributary.proto.v1.Subscription;
import io.tributary.proto.v1.TopicPartitions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group member speaking the GroupService protocol directly, for tests that kill
 * coordinators: it heartbeats, "processes" its partitions by advancing a position per partition,
 * commits, releases revoked partitions after committing them, and starts new ones from their
 * committed offset. On a coordinator error or an unreachable coordinator it finds the coordinator
 * again (asking any live broker) and carries on. Every acknowledged commit is reported, and so is
 * every committed offset it starts from, so the test can check that no commit goes backwards.
 */
final class GroupMemberLoop implements Runnable {

    /** Receives what the member observed. Called from the member's thread. */
    interface Observer {
        void committed(int partition, long offset);

        /** A partition is taken up at {@code committedOffset} (-1: none). */
        void resumed(int partition, long committedOffset);
    }

    private static final Logger log = LoggerFactory.getLogger(GroupMemberLoop.class);

    private final String groupId;
    private final String memberId;
    private final String topic;
    private final List<Integer> brokers;
    private final IntFunction<GroupServiceGrpc.GroupServiceBlockingStub> stubs;
    private final Observer observer;
    private final Map<Integer, Long> positions = new TreeMap<>();
    private volatile boolean running = true;
    private int coordinator = -1;
    private int epoch;

    GroupMemberLoop(String groupId, String memberId, String topic, List<Integer> brokers,
                    IntFunction<GroupServiceGrpc.GroupServiceBlockingStub> stubs, Observer observer) {
        this.groupId = groupId;
        this.memberId = memberId;
        this.topic = topic;
        this.brokers = List.copyOf(brokers);
        this.stubs = stubs;
        this.observer = observer;
    }

    void stop() {
        running = false;
    }

    /** The partitions the member owns now (a copy). */
    synchronized Set<Integer> owned() {
        return new HashSet<>(positions.keySet());
    }

    @Override
    public void run() {
        while (running) {
            try {
                step();
            } catch (RuntimeException e) {
                log.debug("Member {}: {}; finding the coordinator again", memberId, e.getMessage());
                coordinator = -1;
                pause(100);
            }
        }
    }

    private void step() {
        if (coordinator < 0) {
            coordinator = findCoordinator();
            if (coordinator < 0) {
                pause(100);
                return;
            }
        }
        ConsumerGroupHeartbeatResponse answer = stub().consumerGroupHeartbeat(heartbeat());
        switch (answer.getErrorCode()) {
            case ERROR_CODE_NONE -> apply(answer);
            case ERROR_CODE_FENCED_MEMBER_EPOCH, ERROR_CODE_UNKNOWN_MEMBER_ID -> {
                synchronized (this) {
                    positions.clear();
                }
                epoch = 0;
            }
            default -> {
                coordinator = -1;
                pause(100);
                return;
            }
        }
        processAndCommit();
        pause(answer.getHeartbeatIntervalMs() > 0 ? Math.min(50, answer.getHeartbeatIntervalMs()) : 50);
    }

    private ConsumerGroupHeartbeatRequest heartbeat() {
        ConsumerGroupHeartbeatRequest.Builder request = ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(groupId)
                .setMemberId(memberId).setMemberEpoch(epoch).setOwnedPartitions(OwnedPartitions.newBuilder()
                        .addTopics(TopicPartitions.newBuilder().setTopic(topic).addAllPartitions(owned())));
        if (epoch == 0) {
            request.setSubscription(Subscription.newBuilder().addTopicNames(topic)).setSessionTimeoutMs(6_000);
        }
        return request.build();
    }

    private void apply(ConsumerGroupHeartbeatResponse answer) {
        Set<Integer> assigned = new HashSet<>();
        answer.getAssignmentList().forEach(t -> assigned.addAll(t.getPartitionsList()));
        Set<Integer> revoked = owned();
        revoked.removeAll(assigned);
        if (!revoked.isEmpty()) {
            commit(revoked);
            synchronized (this) {
                revoked.forEach(positions::remove);
            }
        }
        epoch = answer.getMemberEpoch();
        for (int partition : assigned) {
            if (!owned().contains(partition)) {
                long committed = fetchCommitted(partition);
                observer.resumed(partition, committed);
                synchronized (this) {
                    positions.put(partition, Math.max(0, committed));
                }
            }
        }
    }

    private void processAndCommit() {
        Set<Integer> owned = owned();
        if (owned.isEmpty()) {
            return;
        }
        synchronized (this) {
            positions.replaceAll((p, offset) -> offset + 1);
        }
        commit(owned);
    }

    private void commit(Set<Integer> partitions) {
        OffsetCommitTopic.Builder topicOffsets = OffsetCommitTopic.newBuilder().setTopic(topic);
        Map<Integer, Long> snapshot;
        synchronized (this) {
            snapshot = new TreeMap<>(positions);
        }
        partitions.forEach(p -> topicOffsets.addPartitions(OffsetCommitPartition.newBuilder().setPartition(p)
                .setCommittedOffset(snapshot.get(p)).setCommittedLeaderEpoch(-1)));
        var response = stub().offsetCommit(OffsetCommitRequest.newBuilder().setGroupId(groupId).setMemberId(memberId)
                .setMemberEpoch(epoch).addTopics(topicOffsets).build());
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            return;
        }
        response.getPartitionsList().stream().filter(r -> r.getErrorCode() == ErrorCode.ERROR_CODE_NONE)
                .forEach(r -> observer.committed(r.getPartition(), snapshot.get(r.getPartition())));
    }

    private long fetchCommitted(int partition) {
        var response = stub().offsetFetch(OffsetFetchRequest.newBuilder().setGroupId(groupId)
                .addTopics(TopicPartitions.newBuilder().setTopic(topic).addPartitions(partition)).build());
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            throw new IllegalStateException("offset fetch failed: " + response.getErrorMessage());
        }
        return response.getOffsets(0).getCommittedOffset();
    }

    private int findCoordinator() {
        for (int broker : brokers) {
            try {
                Coordinator answer = stubs.apply(broker).findCoordinator(FindCoordinatorRequest.newBuilder()
                        .addGroupIds(groupId).build()).getCoordinators(0);
                if (answer.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                    return answer.getNode().getNodeId();
                }
            } catch (RuntimeException e) {
                log.debug("Broker {} did not answer FindCoordinator: {}", broker, e.getMessage());
            }
        }
        return -1;
    }

    private GroupServiceGrpc.GroupServiceBlockingStub stub() {
        return stubs.apply(coordinator).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    /** Paces the loop as a client's heartbeat interval does (nothing waits on another thread here). */
    private static void pause(long ms) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }
}
