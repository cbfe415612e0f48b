package io.tributary.broker.cluster;

import io.tributary.broker.server.BrokerConfig;
import io.tributary.broker.server.BrokerServer;
import io.tributary.broker.server.NodeStorage;
import io.tributary.common.FreePorts;
import io.tributary.common.Time;
import io.tributary.storage.io.FileIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Dedicated controllers (ids 100, 101, …) and brokers (ids 1, 2, …) in this JVM, each a real node
 * with its own directory and loopback listeners, formatted for one cluster id. Timeouts are short
 * so failovers happen quickly.
 */
public final class InProcessCluster implements AutoCloseable {

    public static final int FIRST_CONTROLLER_ID = 100;

    private final Path dir;
    private final String clusterId = NodeStorage.newClusterId();
    private final Map<Integer, Integer> controllerPorts = new TreeMap<>();
    private final Map<Integer, Integer> brokerPorts = new TreeMap<>();
    private final Map<Integer, BrokerServer> nodes = new TreeMap<>();
    private final Map<String, String> overrides;
    private volatile IntFunction<FileIo> logFileIos = id -> FileIo.system();

    public InProcessCluster(Path dir, int controllers, int brokers, Map<String, String> overrides) {
        this.dir = dir;
        this.overrides = Map.copyOf(overrides);
        for (int i = 0; i < controllers; i++) {
            controllerPorts.put(FIRST_CONTROLLER_ID + i, FreePorts.freePort());
        }
        for (int i = 1; i <= brokers; i++) {
            brokerPorts.put(i, FreePorts.freePort());
        }
    }

    /** {@code nodes} combined nodes (ids 1, 2, …), each a broker and a controller. */
    public static InProcessCluster combined(Path dir, int nodes) {
        InProcessCluster cluster = new InProcessCluster(dir, 0, nodes, Map.of());
        cluster.brokerPorts.keySet().forEach(id -> cluster.controllerPorts.put(id, FreePorts.freePort()));
        return cluster;
    }

    /**
     * Gives broker {@code id} the file system {@code logFileIos.apply(id)} under its partition logs
     * (see {@link BrokerServer#BrokerServer(BrokerConfig, Time, boolean, FileIo)}) at each start from now on.
     */
    public InProcessCluster withLogFileIo(IntFunction<FileIo> logFileIos) {
        this.logFileIos = logFileIos;
        return this;
    }

    /** Starts every controller, then every broker (brokers' start-ups wait for registration, in parallel). */
    public InProcessCluster start() {
        controllerPorts.keySet().stream().filter(id -> !brokerPorts.containsKey(id)).forEach(this::start);
        startInParallel(brokerIds());
        return this;
    }

    /** Starts nodes {@code ids} (again) at the same time, as after a power cut; returns once all serve. */
    public void startInParallel(List<Integer> ids) {
        inParallel(ids, this::start);
    }

    /** Stops nodes {@code ids} at the same time; returns once all have stopped. */
    public void stopInParallel(List<Integer> ids) {
        inParallel(ids, this::stop);
    }

    private static void inParallel(List<Integer> ids, IntConsumer action) {
        List<CompletableFuture<Void>> actions = new ArrayList<>();
        ids.forEach(id -> actions.add(CompletableFuture.runAsync(() -> action.accept(id))));
        actions.forEach(CompletableFuture::join);
    }

    /** Starts node {@code id} (again) on its directory and ports. */
    public void start(int id) {
        start(id, false);
    }

    /** Starts node {@code id}, first formatting it as a controller rejoining after losing its metadata if asked. */
    public void start(int id, boolean rejoin) {
        BrokerConfig config = new BrokerConfig(config(id));
        NodeStorage.format(config, clusterId, rejoin);
        // Controllers keep no partition logs.
        FileIo logFileIo = brokerPorts.containsKey(id) ? logFileIos.apply(id) : FileIo.system();
        BrokerServer server = new BrokerServer(config, Time.SYSTEM, false, logFileIo);
        server.startup();
        synchronized (nodes) {
            nodes.put(id, server);
        }
    }

    public Map<String, String> config(int id) {
        Map<String, String> props = new HashMap<>();
        props.put("node.id", String.valueOf(id));
        props.put("controller.quorum.voters", controllerPorts.entrySet().stream()
                .map(e -> e.getKey() + "@127.0.0.1:" + e.getValue()).collect(Collectors.joining(",")));
        List<String> roles = new ArrayList<>();
        List<String> listeners = new ArrayList<>();
        if (brokerPorts.containsKey(id)) {
            roles.add("broker");
            listeners.add("PLAINTEXT://127.0.0.1:" + brokerPorts.get(id));
        }
        if (controllerPorts.containsKey(id)) {
            roles.add("controller");
            listeners.add("CONTROLLER://127.0.0.1:" + controllerPorts.get(id));
        }
        props.put("process.roles", String.join(",", roles));
        props.put("listeners", String.join(",", listeners));
        props.put("log.dirs", dataDir(id).toString());
        props.put("controller.quorum.election.timeout.ms", "500");
        props.put("controller.quorum.fetch.timeout.ms", "1000");
        props.put("broker.heartbeat.interval.ms", "200");
        props.put("broker.session.timeout.ms", "1500");
        // The last nodes of a combined cluster stop without a quorum: their controlled shutdown cannot commit.
        props.put("shutdown.timeout.ms", "3000");
        props.put("metrics.port", "0");
        props.putAll(overrides);
        return props;
    }

    /** Stops node {@code id} cleanly (a broker in controlled shutdown). */
    public void stop(int id) {
        BrokerServer server;
        synchronized (nodes) {
            server = nodes.remove(id);
        }
        server.close();
    }

    /** Where node {@code id} keeps its data (and its metadata log). */
    public Path dataDir(int id) {
        return dir.resolve("node-" + id);
    }

    public BrokerServer node(int id) {
        synchronized (nodes) {
            return nodes.get(id);
        }
    }

    /** The cluster id every node was formatted with. */
    public String clusterId() {
        return clusterId;
    }

    public List<Integer> controllerIds() {
        return List.copyOf(controllerPorts.keySet());
    }

    public List<Integer> brokerIds() {
        return List.copyOf(brokerPorts.keySet());
    }

    public int controllerPort(int id) {
        return controllerPorts.get(id);
    }

    public String bootstrap(int brokerId) {
        return "127.0.0.1:" + brokerPorts.get(brokerId);
    }

    public String bootstrapServers() {
        return brokerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /**
     * Waits until every running node's metadata image has the topic: a creation is answered once the
     * controller committed it, and brokers learn of it a moment later.
     */
    public void awaitTopic(String name) {
        org.awaitility.Awaitility.await().atMost(30, java.util.concurrent.TimeUnit.SECONDS).until(() -> {
            synchronized (nodes) {
                return nodes.values().stream().allMatch(node -> node.metadataImage().topic(name).isPresent());
            }
        });
    }

    /** The active controller every running controller agrees on, or -1. */
    public int agreedActiveController() {
        synchronized (nodes) {
            List<Integer> views = controllerPorts.keySet().stream().filter(nodes::containsKey)
                    .map(id -> nodes.get(id).activeControllerId()).distinct().toList();
            return views.size() == 1 && views.get(0) >= 0 && nodes.containsKey(views.get(0)) ? views.get(0) : -1;
        }
    }

    @Override
    public void close() {
        List<BrokerServer> running;
        synchronized (nodes) {
            running = new ArrayList<>(nodes.values());
            nodes.clear();
        }
        running.forEach(BrokerServer::close);
    }
}
