package io.tributary.broker.server;

import static io.tributary.common.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.common.config.ConfigDef.Type.INT;
import static io.tributary.common.config.ConfigDef.Type.LONG;
import static io.tributary.common.config.ConfigDef.Type.STRING;
import static io.tributary.common.config.ConfigDef.atLeast;
import static io.tributary.common.config.ConfigDef.between;

import io.tributary.common.config.ConfigDef;
import io.tributary.common.config.ParsedConfig;

/**
 * The metrics endpoint's settings: defined here and parsed with the node's other keys by
 * {@link BrokerConfig}. Immutable.
 *
 * @param enabled whether the node serves Prometheus metrics
 * @param host the interface the endpoint binds; empty binds every interface
 * @param port the endpoint's port; 0 picks a free one
 * @param groupLagRefreshMs how often remote end offsets are asked for, for the consumer-group lag
 */
public record MetricsConfig(boolean enabled, String host, int port, long groupLagRefreshMs) {

    public static final String METRICS_ENABLED = "metrics.enabled";
    public static final String METRICS_HOST = "metrics.host";
    public static final String METRICS_PORT = "metrics.port";
    public static final String METRICS_GROUP_LAG_REFRESH_MS = "metrics.group.lag.refresh.ms";

    /** Adds the metrics keys to {@code definition}. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
                .define(METRICS_ENABLED, BOOLEAN, "true", "Whether the node serves Prometheus metrics over HTTP at "
                        + "http://metrics.host:metrics.port/metrics.")
                .define(METRICS_HOST, STRING, "", "Interface the metrics endpoint binds; empty binds every interface.")
                .define(METRICS_PORT, INT, "9404", between(0, 65535),
                        "Port of the metrics endpoint; 0 picks a free port (tests).")
                .define(METRICS_GROUP_LAG_REFRESH_MS, LONG, "15000", atLeast(100), "How often a group coordinator "
                        + "asks the leaders of the partitions its groups committed offsets for (led on other brokers) "
                        + "for their end offsets, for the consumer-group lag metrics.");
    }

    public static MetricsConfig from(ParsedConfig values) {
        return new MetricsConfig(values.getBoolean(METRICS_ENABLED), values.getString(METRICS_HOST),
                values.getInt(METRICS_PORT), values.getLong(METRICS_GROUP_LAG_REFRESH_MS));
    }
}
