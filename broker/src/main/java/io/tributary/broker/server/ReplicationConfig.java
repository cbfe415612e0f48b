package io.tributary.broker.server;

import static io.tributary.common.config.ConfigDef.Type.INT;
import static io.tributary.common.config.ConfigDef.Type.LONG;
import static io.tributary.common.config.ConfigDef.atLeast;

import io.tributary.broker.replica.ReplicaFetchSettings;
import io.tributary.common.config.ConfigDef;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;

/**
 * How partitions replicate (Kafka's names): defined here and parsed with the node's other keys by
 * {@link BrokerConfig}. Immutable.
 *
 * @param lagTimeMaxMs a follower not caught up with its leader for this long leaves the ISR
 * @param fetchWaitMaxMs how long a leader holds a follower's fetch when it has nothing new
 * @param fetchMaxBytes record bytes per partition in one answer to a follower
 * @param fetchResponseMaxBytes record bytes in one answer to a follower, over all its partitions
 * @param fetchBackoffMs how long a follower waits after a failed stream or a partition error
 * @param socketTimeoutMs how long past fetchWaitMaxMs a follower waits for an answer
 */
public record ReplicationConfig(long lagTimeMaxMs, int fetchWaitMaxMs, int fetchMaxBytes, int fetchResponseMaxBytes,
                                long fetchBackoffMs, long socketTimeoutMs) {

    public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
    public static final String REPLICA_FETCH_WAIT_MAX_MS = "replica.fetch.wait.max.ms";
    public static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
    public static final String REPLICA_FETCH_RESPONSE_MAX_BYTES = "replica.fetch.response.max.bytes";
    public static final String REPLICA_FETCH_BACKOFF_MS = "replica.fetch.backoff.ms";
    public static final String REPLICA_SOCKET_TIMEOUT_MS = "replica.socket.timeout.ms";

    /** Adds the replication keys to {@code definition}. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(REPLICA_LAG_TIME_MAX_MS, LONG, "30000", atLeast(1),
                        "A follower that has not caught up with its leader for this long leaves the ISR.")
                .define(REPLICA_FETCH_WAIT_MAX_MS, INT, "500", atLeast(0),
                        "How long a leader holds a follower's fetch when it has nothing new; must be well below "
                                + REPLICA_LAG_TIME_MAX_MS + ".")
                .define(REPLICA_FETCH_MAX_BYTES, INT, "1048576", atLeast(1),
                        "Record bytes per partition in one answer to a follower (at least one batch is always sent).")
                .define(REPLICA_FETCH_RESPONSE_MAX_BYTES, INT, "10485760", atLeast(1),
                        "Record bytes in one answer to a follower, over all its partitions.")
                .define(REPLICA_FETCH_BACKOFF_MS, LONG, "1000", atLeast(0),
                        "How long a follower waits after a failed stream or a partition error before fetching again.")
                .define(REPLICA_SOCKET_TIMEOUT_MS, LONG, "30000", atLeast(1), "How long past "
                        + "replica.fetch.wait.max.ms a follower waits for an answer before reopening the stream.");
    }

    /**
     * @throws InvalidConfigurationException when replica.fetch.wait.max.ms is not below
     *     replica.lag.time.max.ms
     */
    public static ReplicationConfig from(ParsedConfig values) {
        ReplicationConfig config = new ReplicationConfig(values.getLong(REPLICA_LAG_TIME_MAX_MS),
                values.getInt(REPLICA_FETCH_WAIT_MAX_MS), values.getInt(REPLICA_FETCH_MAX_BYTES),
                values.getInt(REPLICA_FETCH_RESPONSE_MAX_BYTES), values.getLong(REPLICA_FETCH_BACKOFF_MS),
                values.getLong(REPLICA_SOCKET_TIMEOUT_MS));
        if (config.fetchWaitMaxMs() >= config.lagTimeMaxMs()) {
            throw new InvalidConfigurationException("configuration key '" + REPLICA_FETCH_WAIT_MAX_MS + "' ("
                    + config.fetchWaitMaxMs() + ") must be below " + REPLICA_LAG_TIME_MAX_MS + " ("
                    + config.lagTimeMaxMs() + "), or idle followers would fall out of the ISR");
        }
        return config;
    }

    /** How this node's followers fetch from their leaders. */
    public ReplicaFetchSettings fetchSettings() {
        return new ReplicaFetchSettings(fetchWaitMaxMs, fetchResponseMaxBytes, fetchMaxBytes, fetchBackoffMs,
                socketTimeoutMs);
    }
}
