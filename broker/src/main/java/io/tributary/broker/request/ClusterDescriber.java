package io.tributary.broker.request;

import io.tributary.proto.v1.BrokerDescription;
import io.tributary.proto.v1.ControllerDescription;
import io.tributary.proto.v1.DescribeClusterRequest;
import io.tributary.proto.v1.DescribeClusterResponse;
import io.tributary.proto.v1.DescribeQuorumResponse;
import io.tributary.proto.v1.QuorumReplicaState;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.raft.QuorumInfo;
import io.tributary.quorum.runtime.MetadataQuorum;
import java.net.InetSocketAddress;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Answers DescribeCluster from the metadata image and this node's quorum configuration, and
 * DescribeQuorum from the quorum's leader (see {@link MetadataQuorum#describeFromLeader}). Thread-safe.
 */
public final class ClusterDescriber {

    private final String clusterId;
    private final MetadataLoader metadata;
    private final MetadataQuorum quorum;
    private final long forwardTimeoutMs;

    /** @param forwardTimeoutMs how long a DescribeQuorum forwarded to the leader may take */
    public ClusterDescriber(String clusterId, MetadataLoader metadata, MetadataQuorum quorum, long forwardTimeoutMs) {
        this.clusterId = clusterId;
        this.metadata = metadata;
        this.quorum = quorum;
        this.forwardTimeoutMs = forwardTimeoutMs;
    }

    public DescribeClusterResponse describeCluster(DescribeClusterRequest request) {
        DescribeClusterResponse.Builder response = DescribeClusterResponse.newBuilder().setClusterId(clusterId)
                .setControllerId(quorum.leaderId());
        for (BrokerImage broker : metadata.image().brokers().values()) {
            if (request.getIncludeFencedBrokers() || !broker.fenced()) {
                response.addBrokers(BrokerDescription.newBuilder().setNodeId(broker.id()).setHost(broker.host())
                        .setPort(broker.port()).setRack(broker.rack()).setFenced(broker.fenced())
                        .setInControlledShutdown(broker.inControlledShutdown()).setBrokerEpoch(broker.epoch()));
            }
        }
        new TreeMap<>(quorum.voters()).forEach((id, address) -> response.addControllers(controller(id, address)));
        return response.build();
    }

    private static ControllerDescription controller(int id, InetSocketAddress address) {
        return ControllerDescription.newBuilder().setNodeId(id).setHost(address == null ? "" : address.getHostString())
                .setPort(address == null ? -1 : address.getPort()).build();
    }

    public CompletableFuture<DescribeQuorumResponse> describeQuorum() {
        return quorum.describeFromLeader(forwardTimeoutMs).thenApply(ClusterDescriber::toProto);
    }

    private static DescribeQuorumResponse toProto(QuorumInfo info) {
        DescribeQuorumResponse.Builder response = DescribeQuorumResponse.newBuilder().setLeaderId(info.leaderId())
                .setLeaderEpoch(info.epoch()).setHighWatermark(info.highWatermark());
        info.voters().forEach(voter -> response.addVoters(toProto(voter)));
        info.observers().forEach(observer -> response.addObservers(toProto(observer)));
        return response.build();
    }

    /** A replica that has not fetched entries in this epoch yet has no fetch time (the core keeps the election time). */
    private static QuorumReplicaState toProto(QuorumInfo.ReplicaState state) {
        boolean fetched = state.endOffset() >= 0;
        return QuorumReplicaState.newBuilder().setNodeId(state.nodeId()).setLogEndOffset(state.endOffset())
                .setLastFetchTimestampMs(fetched ? state.lastFetchMs() : -1)
                .setLastCaughtUpTimestampMs(state.lastCaughtUpMs()).build();
    }
}
