package io.tributary.broker;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.server.BrokerConfig;
import io.tributary.broker.server.NodeStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            int port = freePort();
            Path config = workDir.resolve("node-" + incarnation + ".properties");
            StringBuilder text = new StringBuilder()
                    .append("listeners=PLAINTEXT://127.0.0.1:").append(port).append('\n')
                    .append("log.dirs=").append(dataDir).append('\n');
            for (String line : extraConfigLines) {
                text.append(line).append('\n');
            }
            Files.writeString(config, text);
            formatIfEmpty(config);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), "server",
                    "--config", config.toString()));
            builder.redirectErrorStream(true).redirectOutput(workDir.resolve("node-" + incarnation + ".log").toFile());
            NodeProcess node = new NodeProcess(workDir, port, builder.start());
            node.awaitServing();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code tributary storage format} would do, so the child finds formatted storage. */
    private static void formatIfEmpty(Path config) throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(config)) {
            properties.load(reader);
        }
        java.util.Map<String, String> props = new java.util.HashMap<>();
        properties.stringPropertyNames().forEach(k -> props.put(k, properties.getProperty(k)));
        NodeStorage.clusterId(new BrokerConfig(props), true);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitServing() {
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
