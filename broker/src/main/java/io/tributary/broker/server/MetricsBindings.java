package io.tributary.broker.server;

import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.grpc.BrokerChannels;
import io.tributary.broker.grpc.GrpcEndOffsets;
import io.tributary.broker.grpc.RpcObserverInterceptor;
import io.tributary.broker.metrics.ControllerMetrics;
import io.tributary.broker.metrics.GroupLagMetrics;
import io.tributary.broker.metrics.NodeMetrics;
import io.tributary.broker.metrics.PartitionMetrics;
import io.tributary.broker.metrics.RaftMetrics;
import io.tributary.broker.metrics.RpcMetrics;
import io.tributary.broker.metrics.TopicTrafficMetrics;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.request.TopicTraffic;
import io.tributary.quorum.controller.QuorumController;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.runtime.MetadataQuorum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the node's metrics endpoint and binds the meters of each part as start-up builds it. With
 * metrics off (metrics.enabled=false, a null {@link NodeMetrics}) every binding does nothing. Called
 * on the start-up thread only; the endpoint's own threads then read the bound parts through the
 * thread-safe suppliers given here. Closing the endpoint is {@link BrokerServer}'s.
 */
final class MetricsBindings {

    private static final Logger log = LoggerFactory.getLogger(MetricsBindings.class);

    private MetricsBindings() {
    }

    /**
     * Serves metrics (metrics.enabled) from the start, so a node that is slow to join can be watched;
     * the JVM's meters are bound now.
     *
     * @return the endpoint, or null when metrics are off
     */
    static NodeMetrics start(BrokerConfig config) {
        MetricsConfig settings = config.metricsConfig();
        if (!settings.enabled()) {
            return null;
        }
        NodeMetrics metrics = NodeMetrics.start(settings.host(), settings.port());
        log.info("Serving metrics on port {}", metrics.port());
        return metrics;
    }

    /** Meters every RPC of the listeners {@code listeners} opens from now on. */
    static void bindRpcs(NodeMetrics metrics, NodeListeners listeners) {
        if (metrics != null) {
            RpcMetrics rpcMetrics = new RpcMetrics(metrics.registry());
            listeners.interceptWith(new RpcObserverInterceptor(rpcMetrics::completed));
        }
    }

    /** The controller's and the Raft quorum's meters; {@code controller} is null on a broker-only node. */
    static void bindQuorum(NodeMetrics metrics, QuorumController controller, MetadataQuorum quorum,
                           MetadataLoader loader) {
        if (metrics == null) {
            return;
        }
        ControllerMetrics.bind(metrics, () -> controller != null && controller.isActive(), quorum::epoch,
                quorum::leaderId, loader::image);
        RaftMetrics.bind(metrics, quorum::raftStatus);
    }

    /** The hosted partitions' meters. */
    static void bindPartitions(NodeMetrics metrics, PartitionManager partitions, MetadataLoader loader) {
        if (metrics != null) {
            PartitionMetrics.bind(metrics, partitions, loader::image);
        }
    }

    /**
     * The consumer-group lag meters of the groups {@code coordinator} coordinates; the end offsets of
     * partitions led elsewhere are asked for every metrics.group.lag.refresh.ms.
     */
    static void bindGroupLag(NodeMetrics metrics, BrokerConfig config, GroupCoordinator coordinator,
                             PartitionManager partitions, MetadataLoader loader, BrokerChannels brokerChannels) {
        if (metrics == null) {
            return;
        }
        coordinator.publishGroups();
        GrpcEndOffsets endOffsets = new GrpcEndOffsets(loader::image, brokerChannels, config.requestTimeoutMs());
        GroupLagMetrics.bind(metrics, coordinator::coordinatedGroups, partitions, endOffsets,
                config.metricsConfig().groupLagRefreshMs());
        metrics.closeWith(endOffsets);
    }

    /** Where the request handlers count each topic's traffic: per-topic meters, or nowhere. */
    static TopicTraffic topicTraffic(NodeMetrics metrics, MetadataLoader loader) {
        if (metrics == null) {
            return TopicTraffic.NONE;
        }
        TopicTrafficMetrics trafficMetrics = new TopicTrafficMetrics(metrics.registry());
        loader.register(trafficMetrics);
        return trafficMetrics;
    }
}
