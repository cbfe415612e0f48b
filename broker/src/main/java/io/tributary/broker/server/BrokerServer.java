package io.tributary.broker.server;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.tributary.broker.controller.LocalController;
import io.tributary.broker.controller.RaftMetadataLog;
import java.nio.file.Path;
import java.nio.file.Files;
import io.tributary.broker.controller.TopicControl;
import io.tributary.broker.grpc.AdminGrpcService;
import io.tributary.broker.grpc.ClusterGrpcService;
import io.tributary.broker.grpc.FetchGrpcService;
import io.tributary.broker.grpc.GrpcCalls;
import io.tributary.broker.grpc.ProduceGrpcService;
import io.tributary.broker.metadata.MetadataImage;
import io.tributary.broker.metadata.MetadataLoader;
import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.LogFlusher;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.request.AdminHandler;
import io.tributary.broker.request.ClusterHandler;
import io.tributary.broker.request.FetchHandler;
import io.tributary.broker.request.ListOffsetsHandler;
import io.tributary.broker.request.ProduceHandler;
import io.tributary.common.Time;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.RegisterBrokerRecord;
import io.tributary.storage.LogManager;
import io.tributary.storage.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tributary node (combined broker and controller): the composition root that builds every part,
 * owns their threads, starts them in dependency order and stops them in reverse.
 *
 * <p>Start-up: load and recover logs, replay the metadata log into the image, create partitions,
 * register this node, then open the listeners. Shutdown (SIGTERM or {@link #close}): refuse new
 * requests, drain the listeners, answer parked requests, flush every log, write checkpoints and the
 * clean-shutdown marker.
 */
public final class BrokerServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerServer.class);

    /** The partition that holds the metadata log; not a topic. */
    private final BrokerConfig config;
    private final Time time;
    private final HealthStatusManager health = new HealthStatusManager();
    private final List<Server> servers = new ArrayList<>();
    private volatile boolean serving;
    private Scheduler scheduler;
    private LogManager logManager;
    private LogFlusher flusher;
    private DelayedOperationPurgatory producePurgatory;
    private DelayedOperationPurgatory fetchPurgatory;
    private LocalController controller;
    private ProduceGrpcService produceService;
    private boolean closed;

    public BrokerServer(BrokerConfig config, Time time) {
        this.config = config;
        this.time = time;
    }

    /**
     * Starts the node; returns once every listener is accepting requests. A failed start releases
     * whatever it had started (threads, ports, files) before rethrowing.
     */
    public synchronized void startup() {
        try {
            start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void start() {
        long startMs = time.hiResMilliseconds();
        MetadataLoader loader = new MetadataLoader();
        Map<String, String> topicDefaults = config.topicConfigDefaults();
        scheduler = Scheduler.threadPool("log-scheduler", 2);
        logManager = LogManagerFactory.create(config, time, scheduler,
                tp -> loader.image().topic(tp.topic()).map(topic -> PartitionManager.configFor(topicDefaults, topic)));
        logManager.startup();
        flusher = new LogFlusher();
        producePurgatory = new DelayedOperationPurgatory("produce-purgatory");
        fetchPurgatory = new DelayedOperationPurgatory("fetch-purgatory");
        PartitionManager partitions = new PartitionManager(config.nodeId(), logManager, topicDefaults,
                config.flushOnCommit(), flusher, List.of(producePurgatory, fetchPurgatory));
        loader.register(partitions);
        ensureMetadataLogWhereExpected();
        controller = new LocalController(new RaftMetadataLog(config.nodeId(), config.metadataLogDir(),
                config.quorumElectionTimeoutMs(), config.quorumFetchTimeoutMs(), loader, time), loader);

        GrpcCalls calls = new GrpcCalls(() -> serving);
        ClusterHandler cluster = new ClusterHandler(logManager.clusterId(), config.nodeId(), loader, partitions);
        TopicControl topics = new TopicControl(config.nodeId(), config.numPartitions(),
                config.defaultReplicationFactor(), topicDefaults, UUID::randomUUID);
        produceService = new ProduceGrpcService(new ProduceHandler(loader, partitions, producePurgatory, time,
                config.requestTimeoutMs()), calls);
        List<io.grpc.BindableService> services = List.of(produceService,
                new FetchGrpcService(new FetchHandler(loader, partitions, fetchPurgatory, config.fetchMaxBytes()),
                        new ListOffsetsHandler(loader, partitions), calls),
                new ClusterGrpcService(cluster, calls),
                new AdminGrpcService(new AdminHandler(controller, topics), cluster, calls));
        for (Listener listener : config.listeners()) {
            servers.add(startListener(listener, services));
        }
        // Committing the registration replays every earlier metadata entry first: after it, the image is whole.
        MetadataImage image = controller.append(List.of(registration())).join();
        partitions.deleteStrayLogs(image, Set.of());
        logManager.startBackgroundTasks();
        log.info("Replayed the metadata log up to offset {}: {} topics, {} brokers", image.lastOffset(),
                image.topicsByName().size(), image.brokers().size());
        serving = true;
        health.setStatus("", ServingStatus.SERVING);
        log.info("Tributary node {} started in {} ms: cluster {}, listening on {}", config.nodeId(),
                time.hiResMilliseconds() - startMs, logManager.clusterId(), boundAddresses());
    }

    /**
     * Refuses to start when the metadata log is not where the partition logs expect it (metadata.log.dir
     * changed, log.dirs reordered): an empty image would make the node delete every partition log as
     * a stray.
     */
    private void ensureMetadataLogWhereExpected() {
        Path metadataDir = config.metadataLogDir().toAbsolutePath().normalize();
        for (Path logDir : config.logDirs()) {
            Path candidate = logDir.toAbsolutePath().normalize();
            if (!candidate.equals(metadataDir) && Files.exists(candidate.resolve(LogManager.METADATA_LOG_DIR_NAME))) {
                throw new IllegalStateException("log directory " + logDir + " holds a metadata log, but "
                        + BrokerConfig.METADATA_LOG_DIR + " is " + metadataDir + "; set it back to " + logDir);
            }
        }
        if (!Files.exists(metadataDir.resolve(LogManager.METADATA_LOG_DIR_NAME)) && !logManager.allLogs().isEmpty()) {
            throw new IllegalStateException("the log directories hold " + logManager.allLogs().size()
                    + " partition logs but there is no metadata log in " + metadataDir + " (check "
                    + BrokerConfig.METADATA_LOG_DIR + "); refusing to start rather than delete them");
        }
    }

    private Server startListener(Listener listener, List<io.grpc.BindableService> services) {
        InetSocketAddress address = listener.host().isEmpty() ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                .maxInboundMessageSize(Math.max(64 << 20, config.fetchMaxBytes() + (1 << 20)))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        services.forEach(builder::addService);
        try {
            return builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + listener.name() + "://" + listener.host() + ":"
                    + listener.port() + ": " + e.getMessage(), e);
        }
    }

    private MetadataRecord registration() {
        Listener advertised = config.advertisedListeners().get(0);
        int port = advertised.port() == 0 && !servers.isEmpty() ? servers.get(0).getPort() : advertised.port();
        return MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder()
                .setBrokerId(config.nodeId()).setIncarnationId(UUID.randomUUID().toString())
                .setHost(advertised.advertisedHost()).setPort(port).setFenced(false)).build();
    }

    /** The port the first listener is bound to (useful with port 0). */
    public int boundPort() {
        return servers.get(0).getPort();
    }

    private List<String> boundAddresses() {
        return servers.stream().map(s -> s.getListenSockets().toString()).toList();
    }

    /**
     * Stops the node cleanly. Idempotent. Order: refuse new requests; let the flusher make pending
     * appends durable (which answers the acks=all requests waiting on them); answer what still
     * waits; end open produce streams; drain the listeners; stop the controller; flush every log,
     * write checkpoints and the clean-shutdown marker.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        serving = false;
        health.enterTerminalState();
        log.info("Tributary node {} shutting down", config.nodeId());
        servers.forEach(Server::shutdown);
        if (flusher != null) {
            flusher.close();
        }
        if (producePurgatory != null) {
            producePurgatory.close();
        }
        if (fetchPurgatory != null) {
            fetchPurgatory.close();
        }
        if (produceService != null) {
            produceService.closeStreams();
        }
        awaitListeners();
        if (controller != null) {
            controller.close();
        }
        if (logManager != null) {
            logManager.shutdown();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        log.info("Tributary node {} stopped", config.nodeId());
    }

    /** Waits for in-flight calls up to shutdown.timeout.ms, then cancels the rest and waits briefly again. */
    private void awaitListeners() {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.shutdownTimeoutMs());
        for (Server server : servers) {
            try {
                long remainingNs = Math.max(0, deadlineNs - System.nanoTime());
                if (!server.awaitTermination(remainingNs, TimeUnit.NANOSECONDS)) {
                    server.shutdownNow();
                    server.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.shutdownNow();
            }
        }
    }
}
