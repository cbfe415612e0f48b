package io.tributary.broker.group;

import static io.tributary.common.config.ConfigDef.Type.INT;
import static io.tributary.common.config.ConfigDef.Type.LIST;
import static io.tributary.common.config.ConfigDef.Type.LONG;
import static io.tributary.common.config.ConfigDef.atLeast;
import static io.tributary.common.config.ConfigDef.nonEmpty;

import io.tributary.common.config.ConfigDef;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;
import java.util.List;

/**
 * The group coordinator's settings (Kafka's names), defined here and parsed with the node's other
 * keys by {@code BrokerConfig}.
 *
 * @param offsetsTopicPartitions partitions of __consumer_offsets when it is created
 * @param offsetsTopicReplicationFactor its replication factor (at most the live brokers)
 * @param defaultSessionTimeoutMs a member's session timeout when it asks for none
 * @param minSessionTimeoutMs the smallest session timeout a member may ask for
 * @param maxSessionTimeoutMs the largest session (and rebalance) timeout a member may ask for
 * @param heartbeatIntervalMs how often members heartbeat (capped at a third of their session timeout)
 * @param offsetMetadataMaxBytes the longest metadata string of a commit
 * @param offsetsRetentionMs how long an empty group's offsets are kept after their commit
 * @param offsetsRetentionCheckIntervalMs how often expired offsets are looked for
 * @param assignors the assignors members may ask for (built-in names or class names); the first is
 *     the default
 */
public record GroupCoordinatorConfig(int offsetsTopicPartitions, int offsetsTopicReplicationFactor,
                                     int defaultSessionTimeoutMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                     int heartbeatIntervalMs, int offsetMetadataMaxBytes, long offsetsRetentionMs,
                                     long offsetsRetentionCheckIntervalMs, List<String> assignors) {

    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    public static final String SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String ASSIGNORS = "group.consumer.assignors";

    /** Adds the coordinator's keys to {@code definition}. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(OFFSETS_TOPIC_NUM_PARTITIONS, INT, "50", atLeast(1),
                        "Partitions of the internal __consumer_offsets topic (fixed once it exists).")
                .define(OFFSETS_TOPIC_REPLICATION_FACTOR, INT, "3", atLeast(1), "Replication factor of "
                        + "__consumer_offsets; reduced (with a warning) only when the cluster has fewer brokers.")
                .define(SESSION_TIMEOUT_MS, INT, "45000", atLeast(1),
                        "Session timeout of a member that asks for none (a consumer's session.timeout.ms).")
                .define(MIN_SESSION_TIMEOUT_MS, INT, "6000", atLeast(1),
                        "The smallest session timeout a member may ask for.")
                .define(MAX_SESSION_TIMEOUT_MS, INT, "1800000", atLeast(1),
                        "The largest session timeout (and max.poll.interval.ms) a member may ask for.")
                .define(HEARTBEAT_INTERVAL_MS, INT, "5000", atLeast(1),
                        "How often members heartbeat; at most a third of each member's session timeout.")
                .define(OFFSET_METADATA_MAX_BYTES, INT, "4096", atLeast(0),
                        "Longest metadata string an offset commit may carry.")
                .define(OFFSETS_RETENTION_MINUTES, INT, "10080", atLeast(1), "How long offsets are kept: from the "
                        + "later of their commit and the group emptying, or (active groups) for unsubscribed topics.")
                .define(OFFSETS_RETENTION_CHECK_INTERVAL_MS, LONG, "600000", atLeast(1),
                        "How often expired offsets are deleted.")
                .define(ASSIGNORS, LIST, "sticky,range,roundrobin", nonEmpty(), "Server-side assignors members may "
                        + "choose (group.remote.assignor): built-in names or classes implementing PartitionAssignor; "
                        + "the first is the default.");
    }

    /**
     * @throws InvalidConfigurationException when the session timeout bounds contradict each other, or
     *     an assignor is neither built in nor a loadable class
     */
    public static GroupCoordinatorConfig from(ParsedConfig values) {
        GroupCoordinatorConfig config = new GroupCoordinatorConfig(values.getInt(OFFSETS_TOPIC_NUM_PARTITIONS),
                values.getInt(OFFSETS_TOPIC_REPLICATION_FACTOR), values.getInt(SESSION_TIMEOUT_MS),
                values.getInt(MIN_SESSION_TIMEOUT_MS), values.getInt(MAX_SESSION_TIMEOUT_MS),
                values.getInt(HEARTBEAT_INTERVAL_MS), values.getInt(OFFSET_METADATA_MAX_BYTES),
                values.getInt(OFFSETS_RETENTION_MINUTES) * 60_000L, values.getLong(OFFSETS_RETENTION_CHECK_INTERVAL_MS),
                values.getList(ASSIGNORS));
        if (config.minSessionTimeoutMs > config.maxSessionTimeoutMs) {
            throw new InvalidConfigurationException(MIN_SESSION_TIMEOUT_MS + " (" + config.minSessionTimeoutMs
                    + ") exceeds " + MAX_SESSION_TIMEOUT_MS + " (" + config.maxSessionTimeoutMs + ")");
        }
        if (config.defaultSessionTimeoutMs < config.minSessionTimeoutMs
                || config.defaultSessionTimeoutMs > config.maxSessionTimeoutMs) {
            throw new InvalidConfigurationException(SESSION_TIMEOUT_MS + " (" + config.defaultSessionTimeoutMs
                    + ") must be between " + MIN_SESSION_TIMEOUT_MS + " and " + MAX_SESSION_TIMEOUT_MS);
        }
        GroupAssignors.from(config.assignors);
        return config;
    }
}
