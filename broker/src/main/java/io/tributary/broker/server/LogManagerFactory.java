package io.tributary.broker.server;

import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogManager;
import io.tributary.storage.LogManagerConfig;
import io.tributary.storage.Scheduler;
import io.tributary.storage.io.FileIo;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the {@link LogManager} from the node's configuration. */
final class LogManagerFactory {

    private static final Logger log = LoggerFactory.getLogger(LogManagerFactory.class);

    private LogManagerFactory() {
    }

    /**
     * The log manager for {@code config}'s log dirs. A node starting on empty directories formats
     * them with a new cluster id (the embedded default needs no separate format step); otherwise the
     * recorded cluster id is kept, and directories of another cluster or node refuse to load.
     *
     * @param topicConfigs a log's topic config once metadata knows it (empty: the broker defaults)
     */
    static LogManager create(BrokerConfig config, Time time, Scheduler scheduler,
                             Function<TopicPartition, Optional<LogConfig>> topicConfigs) {
        FileIo io = FileIo.system();
        String clusterId = LogManager.existingClusterId(config.logDirs(), io).orElseGet(() -> {
            String fresh = newClusterId();
            log.info("Formatting empty log directories {} for new cluster {}", config.logDirs(), fresh);
            return fresh;
        });
        LogManagerConfig managerConfig = new LogManagerConfig(clusterId, config.nodeId(),
                config.recoveryThreadsPerDataDir(), config.retentionCheckIntervalMs(),
                LogManagerConfig.defaults(clusterId, config.nodeId()).flushCheckIntervalMs(),
                config.checkpointIntervalMs());
        LogConfig defaults = LogConfig.fromProperties(config.topicConfigDefaults());
        return new LogManager(config.logDirs(), defaults, topicConfigs, time, scheduler, io, managerConfig);
    }

    /** Kafka's cluster-id shape: a random UUID as 22 characters of URL-safe base64. */
    private static String newClusterId() {
        UUID uuid = UUID.randomUUID();
        byte[] bytes = java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
