package io.tributary.broker;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.server.BrokerConfig;
import io.tributary.broker.server.BrokerServer;
import io.tributary.common.Time;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.CreateTopicResult;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.ProduceServiceGrpc;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real node in this JVM for integration tests: real gRPC on a loopback ephemeral port, real files
 * under the given directory. Restartable on the same directory.
 */
public final class TestNode implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides;
    private BrokerServer server;
    private ManagedChannel channel;
    private int boundPort;

    public TestNode(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.overrides = Map.copyOf(overrides);
        start();
    }

    public TestNode(Path dataDir) {
        this(dataDir, Map.of());
    }

    private void start() {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + boundPort);
        props.put("log.dirs", dataDir.toString());
        props.put("metrics.port", "0");
        props.putAll(overrides);
        server = new BrokerServer(new BrokerConfig(props), Time.SYSTEM, true);
        server.startup();
        boundPort = server.boundPort();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.boundPort()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    /** Stops cleanly and starts again on the same data directory and port. */
    public void restart() {
        close();
        start();
    }

    /** Stops the node (clean shutdown); {@link #startAgain()} brings it back on the same directory and port. */
    public void stop() {
        close();
    }

    /** Starts a node stopped with {@link #stop()}. */
    public void startAgain() {
        if (server != null) {
            throw new IllegalStateException("the node is running");
        }
        start();
    }

    /** The bootstrap address clients use: {@code 127.0.0.1:<port>}. */
    public String bootstrap() {
        return "127.0.0.1:" + boundPort;
    }

    /** The running node (null while stopped). */
    public BrokerServer server() {
        return server;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public int port() {
        return boundPort;
    }

    public ProduceServiceGrpc.ProduceServiceBlockingStub produce() {
        return ProduceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public ProduceServiceGrpc.ProduceServiceStub produceAsync() {
        return ProduceServiceGrpc.newStub(channel);
    }

    public FetchServiceGrpc.FetchServiceBlockingStub fetch() {
        return FetchServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    public FetchServiceGrpc.FetchServiceStub fetchAsync() {
        return FetchServiceGrpc.newStub(channel);
    }

    public AdminServiceGrpc.AdminServiceBlockingStub admin() {
        return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public GroupServiceGrpc.GroupServiceBlockingStub groups() {
        return GroupServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public ClusterServiceGrpc.ClusterServiceBlockingStub cluster() {
        return ClusterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Creates a topic and fails the test unless it succeeds. */
    public CreateTopicResult createTopic(String name, int partitions, Map<String, String> configs) {
        CreateTopicResult result = admin().createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder()
                .setName(name).setNumPartitions(partitions).putAllConfigs(configs)).build()).getTopics(0);
        if (result.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            throw new AssertionError("creating topic " + name + " failed: " + result);
        }
        return result;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
