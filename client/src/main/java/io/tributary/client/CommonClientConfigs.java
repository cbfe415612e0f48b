package io.tributary.client;

import static io.tributary.common.config.ConfigDef.Type.INT;
import static io.tributary.common.config.ConfigDef.Type.LIST;
import static io.tributary.common.config.ConfigDef.Type.LONG;
import static io.tributary.common.config.ConfigDef.Type.STRING;
import static io.tributary.common.config.ConfigDef.atLeast;

import io.tributary.common.config.ConfigDef;

/** The configuration keys every Tributary client shares, named as in Kafka. */
public final class CommonClientConfigs {

    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String CLIENT_ID_CONFIG = "client.id";
    public static final String REQUEST_TIMEOUT_MS_CONFIG = "request.timeout.ms";
    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final String METADATA_MAX_AGE_CONFIG = "metadata.max.age.ms";
    public static final String DEFAULT_API_TIMEOUT_MS_CONFIG = "default.api.timeout.ms";

    private CommonClientConfigs() {
    }

    /** Adds the shared keys to {@code def}; {@code requestTimeoutMs} is the client's default for its requests. */
    public static ConfigDef define(ConfigDef def, int requestTimeoutMs) {
        return def
                .define(BOOTSTRAP_SERVERS_CONFIG, LIST, ConfigDef.NO_DEFAULT, ConfigDef.nonEmpty(),
                        "host:port pairs of brokers used to discover the cluster; the rest is learned from metadata.")
                .define(CLIENT_ID_CONFIG, STRING, "", "A name for this client in the server's logs and the client's threads.")
                .define(REQUEST_TIMEOUT_MS_CONFIG, INT, Integer.toString(requestTimeoutMs), atLeast(1),
                        "How long the client waits for the response to one request before it fails or retries it.")
                .define(RETRY_BACKOFF_MS_CONFIG, LONG, "100", atLeast(0),
                        "The first wait before retrying a failed request; doubles on each attempt up to retry.backoff.max.ms.")
                .define(RETRY_BACKOFF_MAX_MS_CONFIG, LONG, "1000", atLeast(0),
                        "The longest wait between retries of one request.")
                .define(METADATA_MAX_AGE_CONFIG, LONG, "300000", atLeast(0),
                        "Metadata older than this is refreshed even when no error asked for it.")
                .define(DEFAULT_API_TIMEOUT_MS_CONFIG, INT, "60000", atLeast(0),
                        "The timeout of blocking client calls that take no explicit timeout.");
    }
}
