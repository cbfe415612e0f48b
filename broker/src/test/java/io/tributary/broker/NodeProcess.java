package io.tributary.broker;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.server.BrokerConfig;
import io.tributary.broker.server.NodeStorage;
import io.tributary.common.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node running as a real child JVM (same classpath as the tests), for tests that kill it. The
 * child's output goes to {@code node-<n>.log} in the work directory.
 */
final class NodeProcess implements AutoCloseable {

    private final Path workDir;
    private final int port;
    private final Process process;
    private final ManagedChannel channel;

    private NodeProcess(Path workDir, int port, Process process) {
        this.workDir = workDir;
        this.port = port;
        this.process = process;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /** Starts a node on {@code dataDir} and returns once its health service reports SERVING. */
    static NodeProcess start(Path workDir, Path dataDir, int incarnation, String... extraConfigLines) {
        try {
            int port = FreePorts.freePort();
            Map<String, String> config = new LinkedHashMap<>();
            config.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
            config.put("log.dirs", dataDir.toString());
            for (String line : extraConfigLines) {
                String[] keyValue = line.split("=", 2);
                config.put(keyValue[0], keyValue[1]);
            }
            NodeProcess node = launch(workDir, "node-" + incarnation, config, port, null);
            node.awaitServing();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a node with {@code config} without waiting for it, after formatting its storage for
     * {@code clusterId} as {@code storage format} would (null: a new id if the storage is empty);
     * {@code healthPort} is the listener its health is checked on. Output goes to {@code <name>.log}.
     */
    static NodeProcess launch(Path workDir, String name, Map<String, String> config, int healthPort,
                              String clusterId) throws IOException {
        Path file = workDir.resolve(name + ".properties");
        StringBuilder text = new StringBuilder();
        if (!config.containsKey("metrics.port")) {
            text.append("metrics.port=0\n"); // several nodes run on one machine
        }
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(file, text);
        BrokerConfig nodeConfig = new BrokerConfig(config);
        if (clusterId == null) {
            NodeStorage.clusterId(nodeConfig, true);
        } else {
            NodeStorage.format(nodeConfig, clusterId);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m", "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName(), "server", "--config", file.toString()));
        Path log = workDir.resolve(name + ".log");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new NodeProcess(workDir, healthPort, builder.start());
    }

    void awaitServing() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        await().atMost(90, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("node exited with " + process.exitValue() + "; see " + workDir);
            }
            return health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
                    .getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        });
    }

    ManagedChannel channel() {
        return channel;
    }

    int port() {
        return port;
    }

    /** SIGSTOP: the process freezes (sockets stay open, nothing answers). */
    void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill " + signal + " " + process.pid() + " failed");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGTERM: the node's shutdown hook stops it cleanly. Returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("node did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        if (process.isAlive()) {
            kill();
        }
    }
}
