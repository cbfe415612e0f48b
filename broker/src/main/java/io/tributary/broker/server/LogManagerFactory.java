package io.tributary.broker.server;

import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.storage.LogConfig;
import io.tributary.storage.LogManager;
import io.tributary.storage.LogManagerConfig;
import io.tributary.storage.Scheduler;
import io.tributary.storage.io.FileIo;
import java.util.Optional;
import java.util.function.Function;

/** Builds the {@link LogManager} from the node's configuration. */
final class LogManagerFactory {

    private LogManagerFactory() {
    }

    /**
     * The log manager for {@code config}'s log dirs, formatted (see {@link NodeStorage}) for
     * {@code clusterId}; directories of another cluster or node refuse to load.
     *
     * @param topicConfigs a log's topic config once metadata knows it (empty: the broker defaults)
     * @param io the file system the partition logs go through
     */
    static LogManager create(BrokerConfig config, String clusterId, Time time, Scheduler scheduler,
                             Function<TopicPartition, Optional<LogConfig>> topicConfigs, FileIo io) {
        LogManagerConfig managerConfig = new LogManagerConfig(clusterId, config.nodeId(),
                config.recoveryThreadsPerDataDir(), config.retentionCheckIntervalMs(),
                LogManagerConfig.defaults(clusterId, config.nodeId()).flushCheckIntervalMs(),
                config.checkpointIntervalMs());
        LogConfig defaults = LogConfig.fromProperties(config.topicConfigDefaults());
        return new LogManager(config.logDirs(), defaults, topicConfigs, time, scheduler, io, managerConfig);
    }
}
