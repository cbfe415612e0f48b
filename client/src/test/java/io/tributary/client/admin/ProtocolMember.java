package io.tributary.client.admin;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.BrokerEndpoint;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.Coordinator;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.OwnedPartitions;
import io.tributary.proto.v1.Subscription;
import io.tributary.proto.v1.TopicPartitions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A consumer-group member speaking GroupService directly, for tests that need an active group while
 * the Java consumer has no group membership: it joins when created, then heartbeats on its own
 * thread at the interval the coordinator asks for, taking every partition it is assigned at once
 * and releasing revoked ones at once (it consumes nothing), and leaves on {@link #close}.
 */
public final class ProtocolMember implements AutoCloseable {

    private final String groupId;
    private final String memberId;
    private final ManagedChannel channel;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "protocol-member-heartbeats");
        thread.setDaemon(true);
        return thread;
    });
    private volatile int epoch;
    private volatile Set<TopicPartition> owned = Set.of();
    private volatile String lastError = "";

    /**
     * Finds the group's coordinator through {@code broker} (waiting while __consumer_offsets is
     * created), joins with a subscription to {@code topics}, and starts heartbeating.
     *
     * @param broker {@code host:port} of any broker
     */
    public ProtocolMember(String broker, String groupId, String memberId, String clientId, List<String> topics) {
        this.groupId = groupId;
        this.memberId = memberId;
        this.channel = channelTo(coordinator(broker, groupId));
        ConsumerGroupHeartbeatResponse joined = stub().consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest.newBuilder()
                .setGroupId(groupId).setMemberId(memberId).setMemberEpoch(0).setClientId(clientId)
                .setSubscription(Subscription.newBuilder().addAllTopicNames(topics))
                .setOwnedPartitions(OwnedPartitions.getDefaultInstance()).build());
        if (joined.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            throw new AssertionError("joining group " + groupId + " failed: " + joined);
        }
        accept(joined);
        heartbeats.scheduleWithFixedDelay(this::heartbeat, joined.getHeartbeatIntervalMs(),
                joined.getHeartbeatIntervalMs(), TimeUnit.MILLISECONDS);
    }

    private static BrokerEndpoint coordinator(String broker, String groupId) {
        ManagedChannel any = channelTo(broker);
        try {
            Coordinator[] found = new Coordinator[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                found[0] = GroupServiceGrpc.newBlockingStub(any).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .findCoordinator(FindCoordinatorRequest.newBuilder().addGroupIds(groupId).build())
                        .getCoordinators(0);
                return found[0].getErrorCode() == ErrorCode.ERROR_CODE_NONE;
            });
            return found[0].getNode();
        } finally {
            any.shutdownNow();
        }
    }

    private static ManagedChannel channelTo(String address) {
        int colon = address.lastIndexOf(':');
        return NettyChannelBuilder.forAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))
                .usePlaintext().build();
    }

    private static ManagedChannel channelTo(BrokerEndpoint node) {
        return channelTo(node.getHost() + ":" + node.getPort());
    }

    private GroupServiceGrpc.GroupServiceBlockingStub stub() {
        return GroupServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** The partitions the coordinator last gave this member. */
    public Set<TopicPartition> assignment() {
        return owned;
    }

    /** The last error a heartbeat got, empty while they all succeed (for assertion messages). */
    public String lastError() {
        return lastError;
    }

    private void accept(ConsumerGroupHeartbeatResponse response) {
        epoch = response.getMemberEpoch();
        Set<TopicPartition> assigned = new TreeSet<>();
        for (TopicPartitions topic : response.getAssignmentList()) {
            topic.getPartitionsList().forEach(p -> assigned.add(new TopicPartition(topic.getTopic(), p)));
        }
        owned = Set.copyOf(assigned);
    }

    /** Reports what it owns every time: the coordinator then moves it on as soon as it can. */
    private void heartbeat() {
        OwnedPartitions.Builder reported = OwnedPartitions.newBuilder();
        owned.stream().map(TopicPartition::topic).distinct().forEach(topic -> reported.addTopics(TopicPartitions
                .newBuilder().setTopic(topic).addAllPartitions(owned.stream().filter(tp -> tp.topic().equals(topic))
                        .map(TopicPartition::partition).sorted().toList())));
        try {
            ConsumerGroupHeartbeatResponse response = stub().consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest
                    .newBuilder().setGroupId(groupId).setMemberId(memberId).setMemberEpoch(epoch)
                    .setOwnedPartitions(reported).build());
            if (response.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                accept(response);
            } else {
                lastError = response.getErrorCode() + ": " + response.getErrorMessage();
            }
        } catch (RuntimeException e) {
            lastError = e.toString();
        }
    }

    /** Stops heartbeating and leaves the group (epoch -1). */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        try {
            heartbeats.awaitTermination(10, TimeUnit.SECONDS);
            stub().consumerGroupHeartbeat(ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(groupId)
                    .setMemberId(memberId).setMemberEpoch(-1).build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            channel.shutdownNow();
        }
    }
}
