package io.tributary.client.consumer;

import static io.tributary.common.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.common.config.ConfigDef.Type.INT;
import static io.tributary.common.config.ConfigDef.Type.LIST;
import static io.tributary.common.config.ConfigDef.Type.STRING;
import static io.tributary.common.config.ConfigDef.atLeast;
import static io.tributary.common.config.ConfigDef.oneOf;

import io.tributary.client.CommonClientConfigs;
import io.tributary.common.config.ConfigDef;

/** The consumer's configuration keys, named and defaulted as in Kafka's consumer. */
public final class ConsumerConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
    public static final String CLIENT_ID_CONFIG = CommonClientConfigs.CLIENT_ID_CONFIG;
    public static final String KEY_DESERIALIZER_CLASS_CONFIG = "key.deserializer";
    public static final String VALUE_DESERIALIZER_CLASS_CONFIG = "value.deserializer";
    public static final String FETCH_MIN_BYTES_CONFIG = "fetch.min.bytes";
    public static final String FETCH_MAX_WAIT_MS_CONFIG = "fetch.max.wait.ms";
    public static final String FETCH_MAX_BYTES_CONFIG = "fetch.max.bytes";
    public static final String MAX_PARTITION_FETCH_BYTES_CONFIG = "max.partition.fetch.bytes";
    public static final String MAX_POLL_RECORDS_CONFIG = "max.poll.records";
    public static final String AUTO_OFFSET_RESET_CONFIG = "auto.offset.reset";
    public static final String INTERCEPTOR_CLASSES_CONFIG = "interceptor.classes";
    public static final String CHECK_CRCS_CONFIG = "check.crcs";
    public static final String ISOLATION_LEVEL_CONFIG = "isolation.level";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG;
    public static final String DEFAULT_API_TIMEOUT_MS_CONFIG = CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG;
    public static final String RETRY_BACKOFF_MS_CONFIG = CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG;
    public static final String METADATA_MAX_AGE_CONFIG = CommonClientConfigs.METADATA_MAX_AGE_CONFIG;
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG;
    public static final String GROUP_ID_CONFIG = "group.id";
    public static final String GROUP_INSTANCE_ID_CONFIG = "group.instance.id";
    public static final String ENABLE_AUTO_COMMIT_CONFIG = "enable.auto.commit";
    public static final String AUTO_COMMIT_INTERVAL_MS_CONFIG = "auto.commit.interval.ms";
    public static final String SESSION_TIMEOUT_MS_CONFIG = "session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS_CONFIG = "heartbeat.interval.ms";
    public static final String MAX_POLL_INTERVAL_MS_CONFIG = "max.poll.interval.ms";
    public static final String GROUP_REMOTE_ASSIGNOR_CONFIG = "group.remote.assignor";

    public static final ConfigDef CONFIG_DEF = CommonClientConfigs.define(new ConfigDef(), 30_000)
            .define(KEY_DESERIALIZER_CLASS_CONFIG, STRING, null,
                    "Deserializer class for keys (unless given to the constructor).")
            .define(VALUE_DESERIALIZER_CLASS_CONFIG, STRING, null,
                    "Deserializer class for values (unless given to the constructor).")
            .define(FETCH_MIN_BYTES_CONFIG, INT, "1", atLeast(0),
                    "The broker answers a fetch once this many bytes are available, or after fetch.max.wait.ms.")
            .define(FETCH_MAX_WAIT_MS_CONFIG, INT, "500", atLeast(0),
                    "How long the broker holds a fetch waiting for fetch.min.bytes.")
            .define(FETCH_MAX_BYTES_CONFIG, INT, "52428800", atLeast(0),
                    "Most bytes one fetch response carries (at least one batch is always returned).")
            .define(MAX_PARTITION_FETCH_BYTES_CONFIG, INT, "1048576", atLeast(0),
                    "Most bytes one fetch returns per partition (at least one batch is always returned).")
            .define(MAX_POLL_RECORDS_CONFIG, INT, "500", atLeast(1), "Most records one poll() returns.")
            .define(AUTO_OFFSET_RESET_CONFIG, STRING, "latest", oneOf("earliest", "latest", "none"),
                    "Where to start a partition without a position, or whose position is out of range.")
            .define(INTERCEPTOR_CLASSES_CONFIG, LIST, "", "ConsumerInterceptor classes, called in order.")
            .define(CHECK_CRCS_CONFIG, BOOLEAN, "true", "Verify the CRC32C of every fetched batch.")
            .define(ISOLATION_LEVEL_CONFIG, STRING, "read_uncommitted", oneOf("read_uncommitted", "read_committed"),
                    "read_committed reads only up to the last stable offset.")
            .define(GROUP_ID_CONFIG, STRING, null,
                    "The consumer group this consumer joins with subscribe() and commits offsets for; none by default.")
            .define(GROUP_INSTANCE_ID_CONFIG, STRING, null,
                    "Makes the member static: a restart within session.timeout.ms keeps its partitions "
                            + "without a rebalance.")
            .define(ENABLE_AUTO_COMMIT_CONFIG, BOOLEAN, null,
                    "Commit consumed positions every auto.commit.interval.ms, on rebalance and on close; "
                            + "true by default when group.id is set (and not allowed without it).")
            .define(AUTO_COMMIT_INTERVAL_MS_CONFIG, INT, "5000", atLeast(0),
                    "How often poll() commits the consumed positions when enable.auto.commit is true.")
            .define(SESSION_TIMEOUT_MS_CONFIG, INT, "45000", atLeast(1),
                    "A member the coordinator hears nothing from for this long is removed from the group.")
            .define(HEARTBEAT_INTERVAL_MS_CONFIG, INT, "3000", atLeast(1),
                    "How often to heartbeat before the coordinator's first answer; its answer sets the "
                            + "interval after that.")
            .define(MAX_POLL_INTERVAL_MS_CONFIG, INT, "300000", atLeast(1),
                    "A member whose application does not call poll() for this long leaves the group, so its "
                            + "partitions go to others; it rejoins at its next poll().")
            .define(GROUP_REMOTE_ASSIGNOR_CONFIG, STRING, null,
                    "The server-side assignor to ask for (range, roundrobin, sticky); unset: the group's current one.");

    private ConsumerConfig() {
    }
}
