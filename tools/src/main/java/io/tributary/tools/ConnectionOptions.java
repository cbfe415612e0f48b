package io.tributary.tools;

import io.tributary.client.CommonClientConfigs;
import io.tributary.client.producer.ProducerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How a command reaches the cluster: {@code --bootstrap-server} and {@code --command-timeout-ms},
 * shared by every client command (a picocli mixin).
 */
final class ConnectionOptions {

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    private static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    private static final long MIN_REQUEST_TIMEOUT_MS = 1_000;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "The node(s) to connect to. Default: bootstrap.servers from the client properties, else "
                    + DEFAULT_BOOTSTRAP + ".")
    String bootstrapServer;

    @Option(names = "--command-timeout-ms", paramLabel = "MS", defaultValue = "10000",
            description = "How long to wait for the cluster before giving up (default.api.timeout.ms of consumers "
                    + "and admin clients, max.block.ms of producers, unless set in the client properties). "
                    + "Default: ${DEFAULT-VALUE}.")
    long commandTimeoutMs;

    /** Where the last client configuration built here connects, for messages. */
    private String effectiveBootstrap = DEFAULT_BOOTSTRAP;

    String effectiveBootstrap() {
        return effectiveBootstrap;
    }

    /**
     * Consumer and admin configuration: {@code fileProperties}, overridden by {@code overrides}, then
     * the bootstrap servers, and this command's timeout as {@code default.api.timeout.ms} and (at
     * most 30 s, at least 1 s) {@code request.timeout.ms} where the user set none.
     */
    Map<String, Object> clientConfig(Map<String, Object> fileProperties, Map<String, String> overrides) {
        Map<String, Object> config = withBootstrap(fileProperties, overrides);
        config.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(commandTimeoutMs));
        config.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG,
                Long.toString(Math.clamp(commandTimeoutMs, MIN_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS)));
        return config;
    }

    /**
     * Producer configuration: as {@link #clientConfig}, but the timeout becomes {@code max.block.ms}
     * (how long a send waits for metadata); request and delivery timeouts keep the producer's defaults.
     */
    Map<String, Object> producerConfig(Map<String, Object> fileProperties, Map<String, String> overrides) {
        Map<String, Object> config = withBootstrap(fileProperties, overrides);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(commandTimeoutMs));
        return config;
    }

    private Map<String, Object> withBootstrap(Map<String, Object> fileProperties, Map<String, String> overrides) {
        Map<String, Object> config = new LinkedHashMap<>(fileProperties);
        config.putAll(overrides);
        if (bootstrapServer != null) {
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        }
        config.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP);
        effectiveBootstrap = config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString();
        return config;
    }
}
