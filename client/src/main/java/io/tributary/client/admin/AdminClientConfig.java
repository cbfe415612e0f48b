package io.tributary.client.admin;

import io.tributary.client.CommonClientConfigs;
import io.tributary.common.config.ConfigDef;

/**
 * The admin client's configuration keys, named and defaulted as in Kafka's admin client:
 * {@code bootstrap.servers} (required), {@code client.id}, {@code request.timeout.ms} (30000, bounds
 * each RPC attempt), {@code default.api.timeout.ms} (60000, bounds each call including its retries),
 * {@code retry.backoff.ms} / {@code retry.backoff.max.ms} and {@code metadata.max.age.ms}.
 */
public final class AdminClientConfig {

    public static final String BOOTSTRAP_SERVERS_CONFIG = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
    public static final String CLIENT_ID_CONFIG = CommonClientConfigs.CLIENT_ID_CONFIG;
    public static final String REQUEST_TIMEOUT_MS_CONFIG = CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG;
    public static final String DEFAULT_API_TIMEOUT_MS_CONFIG = CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG;
    public static final String RETRY_BACKOFF_MS_CONFIG = CommonClientConfigs.RETRY_BACKOFF_MS_CONFIG;
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = CommonClientConfigs.RETRY_BACKOFF_MAX_MS_CONFIG;
    public static final String METADATA_MAX_AGE_CONFIG = CommonClientConfigs.METADATA_MAX_AGE_CONFIG;

    public static final ConfigDef CONFIG_DEF = CommonClientConfigs.define(new ConfigDef(), 30_000);

    private AdminClientConfig() {
    }
}
