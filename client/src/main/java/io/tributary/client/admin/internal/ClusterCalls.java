package io.tributary.client.admin.internal;

import io.grpc.Channel;
import io.tributary.client.Node;
import io.tributary.client.admin.BrokerRegistration;
import io.tributary.client.admin.QuorumInfo;
import io.tributary.proto.v1.BrokerDescription;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.ControllerDescription;
import io.tributary.proto.v1.DescribeClusterRequest;
import io.tributary.proto.v1.DescribeClusterResponse;
import io.tributary.proto.v1.DescribeQuorumRequest;
import io.tributary.proto.v1.DescribeQuorumResponse;
import io.tributary.proto.v1.QuorumReplicaState;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The cluster and metadata-quorum descriptions: one ClusterService call to any broker, retried as
 * {@link RetryingCall} does (an UNAVAILABLE quorum leader included). Thread-safe.
 */
public final class ClusterCalls {

    /** A DescribeCluster answer in client types. */
    public record Cluster(String clusterId, Collection<BrokerRegistration> registrations, Node controller,
                          Collection<Node> controllers) {

        /** The registered brokers' nodes, by node id. */
        public Collection<Node> brokers() {
            return registrations.stream().map(BrokerRegistration::node).toList();
        }
    }

    private final AdminRuntime runtime;

    public ClusterCalls(AdminRuntime runtime) {
        this.runtime = runtime;
    }

    private static ClusterServiceGrpc.ClusterServiceStub cluster(Channel channel, long timeoutMs) {
        return ClusterServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public CompletableFuture<Cluster> describeCluster(boolean includeFencedBrokers, Integer timeoutMs) {
        DescribeClusterRequest request = DescribeClusterRequest.newBuilder()
                .setIncludeFencedBrokers(includeFencedBrokers).build();
        return RetryingCall.start(runtime, "describeCluster", timeoutMs, (channel, ms) ->
                        Rpc.<DescribeClusterResponse>unary(o -> cluster(channel, ms).describeCluster(request, o)))
                .thenApply(ClusterCalls::cluster);
    }

    private static Cluster cluster(DescribeClusterResponse response) {
        List<BrokerRegistration> brokers = response.getBrokersList().stream()
                .sorted(Comparator.comparingInt(BrokerDescription::getNodeId)).map(ClusterCalls::registration).toList();
        int controllerId = response.getControllerId();
        Node controller = controllerId < 0 ? null : brokers.stream().map(BrokerRegistration::node)
                .filter(b -> b.id() == controllerId).findFirst().orElse(new Node(controllerId, "", -1, null));
        List<Node> controllers = response.getControllersList().stream()
                .sorted(Comparator.comparingInt(ControllerDescription::getNodeId))
                .map(c -> new Node(c.getNodeId(), c.getHost(), c.getPort(), null)).toList();
        return new Cluster(response.getClusterId(), brokers, controller, controllers);
    }

    private static BrokerRegistration registration(BrokerDescription broker) {
        Node node = new Node(broker.getNodeId(), broker.getHost(), broker.getPort(),
                broker.getRack().isEmpty() ? null : broker.getRack(), broker.getFenced());
        return new BrokerRegistration(node, broker.getInControlledShutdown(), broker.getBrokerEpoch());
    }

    public CompletableFuture<QuorumInfo> describeQuorum(Integer timeoutMs) {
        DescribeQuorumRequest request = DescribeQuorumRequest.getDefaultInstance();
        return RetryingCall.start(runtime, "describeMetadataQuorum", timeoutMs, (channel, ms) ->
                        Rpc.<DescribeQuorumResponse>unary(o -> cluster(channel, ms).describeQuorum(request, o)))
                .thenApply(ClusterCalls::quorumInfo);
    }

    private static QuorumInfo quorumInfo(DescribeQuorumResponse response) {
        return new QuorumInfo(response.getLeaderId(), response.getLeaderEpoch(), response.getHighWatermark(),
                response.getVotersList().stream().map(ClusterCalls::replica).toList(),
                response.getObserversList().stream().map(ClusterCalls::replica).toList());
    }

    private static QuorumInfo.ReplicaState replica(QuorumReplicaState state) {
        return new QuorumInfo.ReplicaState(state.getNodeId(), state.getLogEndOffset(),
                timestamp(state.getLastFetchTimestampMs()), timestamp(state.getLastCaughtUpTimestampMs()));
    }

    private static OptionalLong timestamp(long ms) {
        return ms < 0 ? OptionalLong.empty() : OptionalLong.of(ms);
    }
}
