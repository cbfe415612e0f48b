package io.tributary.benchmarks;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.server.BrokerConfig;
import io.tributary.broker.server.BrokerServer;
import io.tributary.broker.server.NodeStorage;
import io.tributary.common.Time;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata quorum's numbers on real nodes in one JVM (3 dedicated controllers, 3 brokers, gRPC on
 * loopback, fsync on): topic creations per second through the brokers' AdminService, sequentially
 * and from concurrent clients; the delay until each broker's metadata image shows a created topic
 * (p50, p99); and the time the remaining controllers take to elect a new leader after the active one
 * stops cleanly (handing over with EndQuorumEpoch), with the default timeouts. Run by hand (see
 * README); prints its results.
 */
public final class ControllerQuorumBenchmark {

    private static final Logger log = LoggerFactory.getLogger(ControllerQuorumBenchmark.class);

    private final Path dir;
    private final String clusterId = NodeStorage.newClusterId();
    private final Map<Integer, Integer> ports = new TreeMap<>();
    private final Map<Integer, BrokerServer> nodes = new TreeMap<>();

    private ControllerQuorumBenchmark(Path dir) throws IOException {
        this.dir = dir;
        for (int id : List.of(100, 101, 102, 1, 2, 3)) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports.put(id, socket.getLocalPort());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int topics = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int elections = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        ControllerQuorumBenchmark benchmark = new ControllerQuorumBenchmark(Files.createTempDirectory("quorum-bench"));
        try {
            benchmark.startAll();
            benchmark.creationThroughputAndPropagation(topics);
            benchmark.electionTimes(elections);
        } finally {
            benchmark.nodes.values().forEach(BrokerServer::close);
        }
    }

    private void startAll() {
        List.of(100, 101, 102).forEach(this::start);
        List<CompletableFuture<Void>> brokers = new ArrayList<>();
        List.of(1, 2, 3).forEach(id -> brokers.add(CompletableFuture.runAsync(() -> start(id))));
        brokers.forEach(CompletableFuture::join);
    }

    private void start(int id) {
        boolean controller = id >= 100;
        Map<String, String> props = new HashMap<>();
        props.put("node.id", String.valueOf(id));
        props.put("process.roles", controller ? "controller" : "broker");
        props.put("listeners", (controller ? "CONTROLLER" : "PLAINTEXT") + "://127.0.0.1:" + ports.get(id));
        props.put("controller.quorum.voters", List.of(100, 101, 102).stream()
                .map(c -> c + "@127.0.0.1:" + ports.get(c)).collect(Collectors.joining(",")));
        props.put("log.dirs", dir.resolve("node-" + id).toString());
        props.put("metrics.port", "0");
        BrokerConfig config = new BrokerConfig(props);
        NodeStorage.format(config, clusterId);
        BrokerServer server = new BrokerServer(config, Time.SYSTEM);
        server.startup();
        synchronized (nodes) {
            nodes.put(id, server);
        }
    }

    private void creationThroughputAndPropagation(int topics) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", ports.get(1)).usePlaintext().build();
        AdminServiceGrpc.AdminServiceBlockingStub admin = AdminServiceGrpc.newBlockingStub(channel);
        List<Long> answerNs = new ArrayList<>();
        List<Long> visibleNs = new ArrayList<>();
        List<Long> afterAnswerNs = new ArrayList<>();
        long startNs = System.nanoTime();
        for (int i = 0; i < topics; i++) {
            String name = "seq-" + i;
            long sentNs = System.nanoTime();
            create(admin, name);
            long answeredNs = System.nanoTime();
            answerNs.add(answeredNs - sentNs);
            for (int broker : List.of(1, 2, 3)) {
                while (nodes.get(broker).metadataImage().topic(name).isEmpty()) {
                    Thread.onSpinWait();
                }
                long now = System.nanoTime();
                visibleNs.add(now - sentNs);
                afterAnswerNs.add(now - answeredNs);
            }
        }
        double sequentialPerSec = topics / ((System.nanoTime() - startNs) / 1e9);
        report("sequential: %d topic creations, %.0f per second (including the wait for all brokers)%n",
                topics, sequentialPerSec);
        report("request to committed answer (through broker 1): %s", summary(answerNs));
        report("request to the topic in each broker's image: %s", summary(visibleNs));
        report("committed answer to the topic in each broker's image: %s", summary(afterAnswerNs));

        int clients = 16;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        startNs = System.nanoTime();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = next.getAndIncrement(); i < topics; i = next.getAndIncrement()) {
                    create(admin, "par-" + i);
                }
            }, pool));
        }
        done.forEach(CompletableFuture::join);
        report("%d concurrent clients: %d topic creations, %.0f per second%n", clients, topics,
                topics / ((System.nanoTime() - startNs) / 1e9));
        pool.shutdown();
        channel.shutdownNow();
    }

    private static void create(AdminServiceGrpc.AdminServiceBlockingStub admin, String name) {
        ErrorCode code = admin.withDeadlineAfter(30, TimeUnit.SECONDS).createTopics(CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName(name).setNumPartitions(1).setReplicationFactor(3)).build())
                .getTopics(0).getErrorCode();
        if (code != ErrorCode.ERROR_CODE_NONE) {
            throw new IllegalStateException("creating " + name + " failed: " + code);
        }
    }

    private void electionTimes(int runs) {
        List<Long> electionMs = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            int leader = awaitAgreedLeader(List.of(100, 101, 102));
            long startNs = System.nanoTime();
            BrokerServer stopped;
            synchronized (nodes) {
                stopped = nodes.remove(leader);
            }
            stopped.close();
            List<Integer> others = List.of(100, 101, 102).stream().filter(id -> id != leader).toList();
            awaitAgreedLeader(others);
            electionMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
            start(leader);
        }
        electionMs.sort(null);
        report("election after the active controller stops cleanly (it hands over with EndQuorumEpoch; default "
                + "timeouts), %d runs: median %d ms, max %d ms, all %s%n", runs, electionMs.get(runs / 2), electionMs.get(runs - 1), electionMs);
    }

    private int awaitAgreedLeader(List<Integer> among) {
        while (true) {
            List<Integer> views;
            synchronized (nodes) {
                views = among.stream().map(id -> nodes.get(id).activeControllerId()).distinct().toList();
            }
            if (views.size() == 1 && among.contains(views.get(0))) {
                return views.get(0);
            }
            Thread.onSpinWait();
        }
    }

    private static void report(String format, Object... args) {
        log.info(String.format(format, args).strip());
    }

    private static String summary(List<Long> samplesNs) {
        List<Long> sorted = new ArrayList<>(samplesNs);
        sorted.sort(null);
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)", percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }

    private static double percentile(List<Long> sortedNs, double q) {
        return sortedNs.get((int) Math.min(sortedNs.size() - 1, Math.floor(q * sortedNs.size()))) / 1e6;
    }
}
