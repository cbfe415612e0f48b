package io.tributary.broker;

import io.tributary.broker.server.BrokerConfig;
import io.tributary.broker.server.BrokerServer;
import io.tributary.common.Time;
import io.tributary.common.errors.InvalidConfigurationException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tributary server [--config FILE]}: starts a node and runs until SIGTERM/SIGINT, then shuts
 * down cleanly. Without a config file it starts the embedded default: one combined node, data in
 * {@code ./data}, listening on localhost:9092. Exit codes: 0 after a clean stop, 2 for bad usage or
 * configuration, 1 when start-up fails otherwise.
 */
public final class ServerMain {

    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);
    private static final String USAGE = "usage: tributary server [--config FILE]";

    private ServerMain() {
    }

    public static void main(String[] args) {
        BrokerConfig config;
        try {
            config = new BrokerConfig(BrokerConfig.withEnvironmentOverrides(loadProperties(args), System.getenv()));
        } catch (IllegalArgumentException | InvalidConfigurationException e) {
            log.error("tributary: {}", e.getMessage());
            System.exit(2);
            return;
        }
        // The embedded default (no config file) formats empty storage itself; configured nodes need storage format.
        BrokerServer server = new BrokerServer(config, Time.SYSTEM, args.length == 1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown-hook"));
        try {
            server.startup();
        } catch (RuntimeException e) {
            log.error("Start-up failed: {}", e.getMessage(), e);
            System.exit(1);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, String> loadProperties(String[] args) {
        if (args.length == 0 || !args[0].equals("server")) {
            throw new IllegalArgumentException(USAGE);
        }
        if (args.length == 1) {
            return Map.of();
        }
        if (args.length != 3 || !args[1].equals("--config")) {
            throw new IllegalArgumentException(USAGE);
        }
        return BrokerConfig.readProperties(Path.of(args[2]));
    }
}
