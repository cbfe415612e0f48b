package io.tributary.broker.server;

import io.tributary.common.Time;
import io.tributary.quorum.controller.BrokerControl;
import io.tributary.quorum.controller.ConfigControl;
import io.tributary.quorum.controller.QuorumController;
import io.tributary.quorum.controller.ReplicaPlacer;
import io.tributary.quorum.controller.TopicControl;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.runtime.MetadataQuorum;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Builds the node's metadata quorum and, for the controller role, its quorum controller from the
 * node's configuration. Builds only: starting and closing them is {@link BrokerServer}'s.
 */
final class QuorumFactory {

    private QuorumFactory() {
    }

    /** The Raft metadata quorum this node joins, as a voter (controller) or an observer (broker). */
    static MetadataQuorum quorum(BrokerConfig config, MetadataLoader loader, Time time) {
        return new MetadataQuorum(new MetadataQuorum.Settings(config.nodeId(), voters(config), config.metadataLogDir(),
                config.quorumElectionTimeoutMs(), config.quorumFetchTimeoutMs(), config.snapshotMaxBytes(),
                config.snapshotIntervalMs()), loader, time);
    }

    /** The voters and their addresses; a combined single node is its own only voter (and sends nothing). */
    private static Map<Integer, InetSocketAddress> voters(BrokerConfig config) {
        Map<Integer, InetSocketAddress> voters = config.quorumVoters();
        if (!voters.isEmpty()) {
            return voters;
        }
        Map<Integer, InetSocketAddress> self = new HashMap<>();
        self.put(config.nodeId(), null);
        return self;
    }

    /** The controller of a node with the controller role, over {@code quorum}. */
    static QuorumController controller(BrokerConfig config, String clusterId, MetadataQuorum quorum,
                                       MetadataLoader loader, Time time) {
        TopicControl topics = new TopicControl(config.numPartitions(), config.defaultReplicationFactor(),
                config.topicConfigDefaults(), UUID::randomUUID, new ReplicaPlacer(new Random()));
        return new QuorumController(quorum, loader, topics,
                new BrokerControl(clusterId, config.brokerSessionTimeoutMs(), config.topicConfigDefaults()),
                new ConfigControl(config.topicConfigDefaults(), BrokerConfig.CONFIG_DEF),
                new QuorumController.Settings(4 * config.quorumElectionTimeoutMs() + config.quorumFetchTimeoutMs(),
                        Math.max(1, config.brokerSessionTimeoutMs() / 4), config.autoLeaderRebalanceEnable(),
                        config.leaderImbalancePerBrokerPercentage(), config.leaderImbalanceCheckIntervalMs()),
                time);
    }
}
