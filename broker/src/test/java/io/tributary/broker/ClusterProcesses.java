package io.tributary.broker;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.common.FreePorts;
import io.tributary.proto.quorum.v1.DescribeQuorumRequest;
import io.tributary.proto.quorum.v1.DescribeQuorumResponse;
import io.tributary.proto.quorum.v1.QuorumServiceGrpc;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.ClusterServiceGrpc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A cluster of real node processes: dedicated controllers (ids 100, 101, …) and brokers (1, 2, …),
 * configured as the README's cluster instructions say, on loopback ports.
 */
final class ClusterProcesses implements AutoCloseable {

    static final int FIRST_CONTROLLER_ID = 100;

    private final Path dir;
    private final String clusterId = io.tributary.broker.server.NodeStorage.newClusterId();
    private final Map<String, String> overrides;
    private final Map<Integer, Integer> ports = new TreeMap<>();
    private final Map<Integer, Integer> metricsPorts = new TreeMap<>();
    private final Map<Integer, NodeProcess> running = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<Integer, ManagedChannel> channels = new TreeMap<>();

    ClusterProcesses(Path dir, int controllers, int brokers, Map<String, String> overrides) throws IOException {
        this.dir = dir;
        this.overrides = Map.copyOf(overrides);
        for (int i = 0; i < controllers; i++) {
            ports.put(FIRST_CONTROLLER_ID + i, FreePorts.freePort());
        }
        for (int i = 1; i <= brokers; i++) {
            ports.put(i, FreePorts.freePort());
        }
        for (int id : ports.keySet()) {
            metricsPorts.put(id, FreePorts.freePort());
        }
    }

    /** Launches every node, controllers first, and waits until all serve. */
    void startAll() throws IOException {
        for (int id : ports.keySet().stream().sorted((a, b) -> Boolean.compare(isController(b), isController(a)))
                .toList()) {
            launch(id);
        }
        for (int id : ports.keySet()) {
            running.get(id).awaitServing();
        }
    }

    void launch(int id) throws IOException {
        running.put(id, NodeProcess.launch(dir, "node-" + id, config(id), ports.get(id), clusterId));
    }

    void start(int id) throws IOException {
        launch(id);
        running.get(id).awaitServing();
    }

    private Map<String, String> config(int id) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("node.id", String.valueOf(id));
        config.put("process.roles", isController(id) ? "controller" : "broker");
        config.put("listeners", (isController(id) ? "CONTROLLER" : "PLAINTEXT") + "://127.0.0.1:" + ports.get(id));
        config.put("controller.quorum.voters", controllerIds().stream().map(c -> c + "@127.0.0.1:" + ports.get(c))
                .collect(Collectors.joining(",")));
        config.put("log.dirs", dir.resolve("data-" + id).toString());
        config.put("metrics.port", String.valueOf(metricsPorts.get(id)));
        config.putAll(overrides);
        return config;
    }

    /** Where node {@code id} serves its Prometheus metrics (the same port across restarts). */
    int metricsPort(int id) {
        return metricsPorts.get(id);
    }

    static boolean isController(int id) {
        return id >= FIRST_CONTROLLER_ID;
    }

    List<Integer> controllerIds() {
        return ports.keySet().stream().filter(ClusterProcesses::isController).toList();
    }

    NodeProcess node(int id) {
        return running.get(id);
    }

    /** Stops tracking node {@code id} (killed or terminated) and releases its channel. */
    void forget(int id) throws InterruptedException {
        NodeProcess node = running.remove(id);
        if (node != null) {
            node.close();
        }
    }

    /** The quorum as controller {@code id} describes it, if it answers within a second. */
    Optional<DescribeQuorumResponse> describeQuorum(int id) {
        try {
            return Optional.of(QuorumServiceGrpc.newBlockingStub(channel(id)).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .describeQuorum(DescribeQuorumRequest.getDefaultInstance()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Waits until the controllers in {@code among} agree on a leader that is one of them; returns it. */
    DescribeQuorumResponse awaitAgreedLeader(List<Integer> among) {
        DescribeQuorumResponse[] agreed = new DescribeQuorumResponse[1];
        await().atMost(60, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS).until(() -> {
            List<DescribeQuorumResponse> views = among.stream().map(this::describeQuorum).flatMap(Optional::stream)
                    .toList();
            boolean same = views.size() == among.size() && views.stream()
                    .map(v -> v.getLeaderId() + "/" + v.getLeaderEpoch()).distinct().count() == 1;
            if (same && among.contains(views.get(0).getLeaderId())) {
                agreed[0] = views.get(0);
                return true;
            }
            return false;
        });
        return agreed[0];
    }

    AdminServiceGrpc.AdminServiceBlockingStub admin(int brokerId) {
        return AdminServiceGrpc.newBlockingStub(channel(brokerId)).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    ClusterServiceGrpc.ClusterServiceBlockingStub cluster(int brokerId) {
        return ClusterServiceGrpc.newBlockingStub(channel(brokerId)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    synchronized ManagedChannel channel(int id) {
        return channels.computeIfAbsent(id, n -> NettyChannelBuilder.forAddress("127.0.0.1", ports.get(n)).usePlaintext()
                .build());
    }

    @Override
    public void close() throws InterruptedException {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (NodeProcess node : running.values()) {
            node.close();
        }
    }
}
