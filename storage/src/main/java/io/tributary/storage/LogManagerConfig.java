package io.tributary.storage;

import io.tributary.common.config.ConfigDef;
import io.tributary.common.config.ConfigDef.Type;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;
import java.util.Map;

/**
 * Node-level settings of the {@link LogManager}, under Kafka's broker-config names where Kafka has
 * one. Immutable and validated at construction.
 *
 * @param clusterId the cluster this node belongs to; recorded in (and checked against) each log
 *     directory's {@code meta.properties}
 * @param nodeId this node's id; recorded in and checked against {@code meta.properties}
 * @param recoveryThreadsPerDataDir threads per log directory that load (and recover) logs at startup
 * @param retentionCheckIntervalMs how often retention runs over every log
 * @param flushCheckIntervalMs how often logs are checked against their {@code flush.ms}
 * @param checkpointIntervalMs how often the recovery-point, high-watermark and log-start-offset
 *     checkpoint files are written
 */
public record LogManagerConfig(String clusterId, int nodeId, int recoveryThreadsPerDataDir,
        long retentionCheckIntervalMs, long flushCheckIntervalMs, long checkpointIntervalMs) {

    public static final String CLUSTER_ID_CONFIG = "cluster.id";
    public static final String NODE_ID_CONFIG = "node.id";
    public static final String RECOVERY_THREADS_CONFIG = "num.recovery.threads.per.data.dir";
    public static final String RETENTION_CHECK_INTERVAL_MS_CONFIG = "log.retention.check.interval.ms";
    public static final String FLUSH_CHECK_INTERVAL_MS_CONFIG = "log.flush.scheduler.interval.ms";
    public static final String CHECKPOINT_INTERVAL_MS_CONFIG = "log.flush.offset.checkpoint.interval.ms";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(CLUSTER_ID_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT, ConfigDef.nonEmpty(),
                    "Id of the cluster; every log directory's meta.properties must carry it.")
            .define(NODE_ID_CONFIG, Type.INT, ConfigDef.NO_DEFAULT, ConfigDef.atLeast(0),
                    "Id of this node; every log directory's meta.properties must carry it.")
            .define(RECOVERY_THREADS_CONFIG, Type.INT, "1", ConfigDef.atLeast(1),
                    "Threads per log directory used to load and recover logs at startup.")
            .define(RETENTION_CHECK_INTERVAL_MS_CONFIG, Type.LONG, "300000", ConfigDef.atLeast(1),
                    "How often retention (retention.ms, retention.bytes, log start offset) runs.")
            // Kafka's default is "never"; a 1 s check is cheap and makes a topic's flush.ms work out of the box.
            .define(FLUSH_CHECK_INTERVAL_MS_CONFIG, Type.LONG, "1000", ConfigDef.atLeast(1),
                    "How often logs are checked against their flush.ms.")
            .define(CHECKPOINT_INTERVAL_MS_CONFIG, Type.LONG, "60000", ConfigDef.atLeast(1),
                    "How often the recovery-point, high-watermark and log-start-offset checkpoints are written.");

    public LogManagerConfig {
        if (clusterId == null || clusterId.isBlank()) {
            throw new InvalidConfigurationException("configuration key '" + CLUSTER_ID_CONFIG + "' must not be empty");
        }
        requireAtLeast(NODE_ID_CONFIG, nodeId, 0);
        requireAtLeast(RECOVERY_THREADS_CONFIG, recoveryThreadsPerDataDir, 1);
        requireAtLeast(RETENTION_CHECK_INTERVAL_MS_CONFIG, retentionCheckIntervalMs, 1);
        requireAtLeast(FLUSH_CHECK_INTERVAL_MS_CONFIG, flushCheckIntervalMs, 1);
        requireAtLeast(CHECKPOINT_INTERVAL_MS_CONFIG, checkpointIntervalMs, 1);
    }

    /**
     * Parses the keys above (callers pass only these keys, e.g. filtered with {@code CONFIG_DEF.contains}).
     *
     * @throws InvalidConfigurationException naming the key of an unknown key, a bad or a missing value
     */
    public static LogManagerConfig fromProperties(Map<String, String> props) {
        ParsedConfig c = new ParsedConfig(CONFIG_DEF, props);
        return new LogManagerConfig(c.getString(CLUSTER_ID_CONFIG), c.getInt(NODE_ID_CONFIG),
                c.getInt(RECOVERY_THREADS_CONFIG), c.getLong(RETENTION_CHECK_INTERVAL_MS_CONFIG),
                c.getLong(FLUSH_CHECK_INTERVAL_MS_CONFIG), c.getLong(CHECKPOINT_INTERVAL_MS_CONFIG));
    }

    /** Defaults for everything but the identities. */
    public static LogManagerConfig defaults(String clusterId, int nodeId) {
        return fromProperties(Map.of(CLUSTER_ID_CONFIG, clusterId, NODE_ID_CONFIG, Integer.toString(nodeId)));
    }

    private static void requireAtLeast(String key, long value, long min) {
        if (value < min) {
            throw new InvalidConfigurationException("configuration key '" + key + "' must be at least " + min
                    + " but was " + value);
        }
    }
}
