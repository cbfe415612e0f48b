package io.tributary.broker.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.tributary.broker.grpc.AdminGrpcService;
import io.tributary.broker.grpc.ClusterGrpcService;
import io.tributary.broker.grpc.FetchGrpcService;
import io.tributary.broker.grpc.GrpcCalls;
import io.tributary.broker.grpc.GrpcEndOffsets;
import io.tributary.broker.grpc.GrpcReplicaLinks;
import io.tributary.broker.grpc.GroupGrpcService;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.grpc.ProduceGrpcService;
import io.tributary.broker.grpc.ReplicaGrpcService;
import io.tributary.broker.grpc.RpcObserverInterceptor;
import io.tributary.broker.metrics.ControllerMetrics;
import io.tributary.broker.metrics.GroupLagMetrics;
import io.tributary.broker.metrics.NodeMetrics;
import io.tributary.broker.metrics.PartitionMetrics;
import io.tributary.broker.metrics.RaftMetrics;
import io.tributary.broker.metrics.RpcMetrics;
import io.tributary.broker.metrics.TopicTrafficMetrics;
import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.LogFlusher;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.request.AdminHandler;
import io.tributary.broker.request.ClusterDescriber;
import io.tributary.broker.request.ClusterHandler;
import io.tributary.broker.request.ConfigsHandler;
import io.tributary.broker.request.DeleteRecordsHandler;
import io.tributary.broker.request.FetchHandler;
import io.tributary.broker.request.ListOffsetsHandler;
import io.tributary.broker.replica.IsrChangeSender;
import io.tributary.broker.replica.LeaderSession;
import io.tributary.broker.replica.ReplicaFetchSettings;
import io.tributary.broker.replica.ReplicaFetcherManager;
import io.tributary.broker.request.ProduceHandler;
import io.tributary.broker.request.TopicTraffic;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.quorum.controller.BrokerControl;
import io.tributary.quorum.controller.ConfigControl;
import io.tributary.quorum.controller.QuorumController;
import io.tributary.quorum.controller.ReplicaPlacer;
import io.tributary.quorum.controller.TopicControl;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.runtime.MetadataQuorum;
import io.tributary.quorum.transport.ControllerClient;
import io.tributary.quorum.transport.ControllerGrpcService;
import io.tributary.storage.LogManager;
import io.tributary.storage.Scheduler;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tributary node — broker, controller or both (process.roles): the composition root that builds
 * every part, owns their threads, starts them in dependency order and stops them in reverse.
 *
 * <p>Start-up: check the storage format; (broker) load and recover logs; join the metadata quorum
 * as a voter (controller) or observer (broker) and open the listeners; (controller) start the
 * controller; (broker) register with the active controller, replay the metadata up to that
 * registration, delete stray logs, and serve once the controller has unfenced it. Shutdown (SIGTERM
 * or {@link #close}): controlled shutdown first (leaderships move away), refuse new requests, drain
 * the listeners, answer parked requests, flush every log, write checkpoints and the clean-shutdown
 * marker.
 */
public final class BrokerServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerServer.class);
    private static final long CONTROLLER_RETRY_BACKOFF_MS = 100;

    private final BrokerConfig config;
    private final Time time;
    private final boolean formatIfEmpty;
    private final FileIo logFileIo;
    private final HealthStatusManager health = new HealthStatusManager();
    private final List<Server> servers = new ArrayList<>();
    private final MetadataLoader loader = new MetadataLoader();
    private volatile boolean serving;
    private volatile boolean closing;
    private Server controllerServer;
    private Scheduler scheduler;
    private LogManager logManager;
    private LogFlusher flusher;
    private DelayedOperationPurgatory producePurgatory;
    private DelayedOperationPurgatory fetchPurgatory;
    private DelayedOperationPurgatory replicaPurgatory;
    private DelayedOperationPurgatory coordinatorPurgatory;
    private DelayedOperationPurgatory deleteRecordsPurgatory;
    private GroupCoordinator groupCoordinator;
    private GrpcReplicaLinks replicaLinks;
    private ReplicaFetcherManager replicaFetchers;
    private IsrChangeSender isrChanges;
    private ReplicaGrpcService replicaService;
    private MetadataQuorum quorum;
    private QuorumController controller;
    private volatile ControllerClient controllerClient;
    private volatile BrokerLifecycle lifecycle;
    private ProduceGrpcService produceService;
    private PartitionManager partitionManager;
    private volatile NodeMetrics metrics;
    /** Feeds the RPC meters from every listener; null without metrics. */
    private RpcObserverInterceptor rpcObserver;
    private boolean closed;

    /** A node whose storage must have been formatted ({@code tributary storage format}). */
    public BrokerServer(BrokerConfig config, Time time) {
        this(config, time, false);
    }

    /** @param formatIfEmpty format unformatted storage with a new cluster id (the embedded default) */
    public BrokerServer(BrokerConfig config, Time time, boolean formatIfEmpty) {
        this(config, time, formatIfEmpty, FileIo.system());
    }

    /**
     * @param formatIfEmpty format unformatted storage with a new cluster id (the embedded default)
     * @param logFileIo the file system under the partition logs (their segments, indexes and
     *     checkpoints): {@link FileIo#system()} but where faults are injected. The metadata log, the
     *     quorum state and the storage identity files (meta.properties) use the real file system.
     */
    public BrokerServer(BrokerConfig config, Time time, boolean formatIfEmpty, FileIo logFileIo) {
        this.config = config;
        this.time = time;
        this.formatIfEmpty = formatIfEmpty;
        this.logFileIo = logFileIo;
    }

    /**
     * Starts the node; returns once it serves (a broker: registered, caught up and unfenced). A failed
     * start releases whatever it had started (threads, ports, files) before rethrowing.
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
        // The health service starts out SERVING for "": say otherwise until the node really serves.
        health.setStatus("", ServingStatus.NOT_SERVING);
        String clusterId = NodeStorage.clusterId(config, formatIfEmpty);
        startMetrics();
        PartitionManager partitions = config.isBroker() ? startStorage(clusterId) : null;
        quorum = new MetadataQuorum(new MetadataQuorum.Settings(config.nodeId(), voters(), config.metadataLogDir(),
                config.quorumElectionTimeoutMs(), config.quorumFetchTimeoutMs(), config.snapshotMaxBytes(),
                config.snapshotIntervalMs()), loader, time);
        if (config.isController()) {
            TopicControl topics = new TopicControl(config.numPartitions(), config.defaultReplicationFactor(),
                    config.topicConfigDefaults(), UUID::randomUUID, new ReplicaPlacer(new Random()));
            controller = new QuorumController(quorum, loader, topics,
                    new BrokerControl(clusterId, config.brokerSessionTimeoutMs(), config.topicConfigDefaults()),
                    new ConfigControl(config.topicConfigDefaults(), BrokerConfig.CONFIG_DEF),
                    new QuorumController.Settings(4 * config.quorumElectionTimeoutMs() + config.quorumFetchTimeoutMs(),
                            Math.max(1, config.brokerSessionTimeoutMs() / 4), config.autoLeaderRebalanceEnable(),
                            config.leaderImbalancePerBrokerPercentage(), config.leaderImbalanceCheckIntervalMs()),
                    time);
        }
        if (metrics != null) {
            QuorumController activeCandidate = controller;
            ControllerMetrics.bind(metrics, () -> activeCandidate != null && activeCandidate.isActive(), quorum::epoch,
                    quorum::leaderId, loader::image);
            RaftMetrics.bind(metrics, quorum::raftStatus);
        }
        controllerClient = new ControllerClient(quorum, controller, CONTROLLER_RETRY_BACKOFF_MS,
                config.quorumRequestTimeoutMs(), config.requestTimeoutMs());
        if (config.isController() && config.controllerListener().isPresent()) {
            controllerServer = startListener(config.controllerListener().get(),
                    List.of(quorum.service(), new ControllerGrpcService(controller)));
            servers.add(controllerServer);
        }
        if (config.isBroker()) {
            startBrokerListeners(clusterId, partitions);
        }
        quorum.start();
        if (controller != null) {
            controller.start();
        }
        if (config.isBroker()) {
            joinAsBroker(clusterId, partitions);
        }
        serving = true;
        health.setStatus("", ServingStatus.SERVING);
        if (logManager != null && !logManager.offlineLogDirs().isEmpty()) {
            // A directory failed while the node was starting, before anyone could be told.
            onLogDirFailure(logManager.offlineLogDirs().iterator().next());
        }
        log.info("Tributary node {} ({}) started in {} ms: cluster {}, listening on {}", config.nodeId(),
                String.join(",", config.processRoles()), time.hiResMilliseconds() - startMs, clusterId,
                boundAddresses());
    }

    /**
     * Serves metrics (metrics.enabled) from the start, so a node that is slow to join can be watched;
     * the JVM's and every RPC's meters are bound now, the rest as their parts are built.
     */
    private void startMetrics() {
        if (!config.metricsEnabled()) {
            return;
        }
        metrics = NodeMetrics.start(config.metricsHost(), config.metricsPort());
        RpcMetrics rpcMetrics = new RpcMetrics(metrics.registry());
        rpcObserver = new RpcObserverInterceptor(rpcMetrics::completed);
        log.info("Serving metrics on port {}", metrics.port());
    }

    /** The voters and their addresses; a combined single node is its own only voter (and sends nothing). */
    private Map<Integer, InetSocketAddress> voters() {
        Map<Integer, InetSocketAddress> voters = config.quorumVoters();
        if (!voters.isEmpty()) {
            return voters;
        }
        Map<Integer, InetSocketAddress> self = new HashMap<>();
        self.put(config.nodeId(), null);
        return self;
    }

    private PartitionManager startStorage(String clusterId) {
        Map<String, String> topicDefaults = config.topicConfigDefaults();
        scheduler = Scheduler.threadPool("log-scheduler", 2);
        logManager = LogManagerFactory.create(config, clusterId, time, scheduler,
                tp -> {
                    MetadataImage image = loader.image();
                    return image.topic(tp.topic()).map(topic -> PartitionManager.configFor(topicDefaults, image,
                            config.nodeId(), topic));
                },
                logFileIo);
        logManager.startup();
        logManager.addLogDirFailureListener(this::onLogDirFailure);
        flusher = new LogFlusher();
        producePurgatory = new DelayedOperationPurgatory("produce-purgatory");
        fetchPurgatory = new DelayedOperationPurgatory("fetch-purgatory");
        replicaPurgatory = new DelayedOperationPurgatory("replica-fetch-purgatory");
        coordinatorPurgatory = new DelayedOperationPurgatory("group-coordinator-purgatory");
        deleteRecordsPurgatory = new DelayedOperationPurgatory("delete-records-purgatory");
        PartitionManager partitions = new PartitionManager(config.nodeId(), logManager, topicDefaults,
                config.flushOnCommit(), flusher, List.of(producePurgatory, fetchPurgatory, coordinatorPurgatory,
                        deleteRecordsPurgatory),
                replicaPurgatory, time);
        startReplication(partitions);
        partitionManager = partitions;
        loader.register(partitions);
        if (metrics != null) {
            PartitionMetrics.bind(metrics, partitions, loader::image);
        }
        groupCoordinator = new GroupCoordinator(config.nodeId(), config.groupCoordinatorConfig(),
                partitions::partitionOrNull, loader::image, request -> controllerClient.createTopics(request),
                coordinatorPurgatory, time, config.requestTimeoutMs());
        loader.register(groupCoordinator);
        if (metrics != null) {
            GrpcEndOffsets endOffsets = new GrpcEndOffsets(loader::image, config.requestTimeoutMs());
            GroupLagMetrics.bind(metrics, groupCoordinator::coordinatedGroups, partitions, endOffsets,
                    config.metricsGroupLagRefreshMs());
            metrics.closeWith(endOffsets);
        }
        ensureMetadataLogWhereExpected();
        return partitions;
    }

    /**
     * A log directory went offline (an I/O error; sticky). The controller does not know which
     * partitions live in which directory, so it could not move just those; the broker therefore
     * stops serving and heartbeating, the controller fences it and its partitions get leaders
     * elsewhere — as a Kafka broker without directory assignment shuts down. This one stays up,
     * NOT_SERVING, for its operator (or Kubernetes) to see and replace the disk. Runs on the thread
     * that hit the error (it may hold a partition's append lock): it only sets flags.
     */
    private void onLogDirFailure(Path dir) {
        String reason = "log directory " + dir + " is offline (" + logManager.offlineLogDirs().size() + " of "
                + config.logDirs().size() + " directories)";
        log.error("Broker {}: {}; it stops serving", config.nodeId(), reason);
        serving = false;
        health.setStatus("", ServingStatus.NOT_SERVING);
        BrokerLifecycle current = lifecycle;
        if (current != null) {
            current.stopHeartbeating(reason);
        }
    }

    /**
     * Followers fetch through {@link ReplicaFetcherManager}; leaders send ISR changes through
     * {@link IsrChangeSender} (to the controller client, created later) and shrink lagging ISRs
     * every half {@code replica.lag.time.max.ms}.
     */
    private void startReplication(PartitionManager partitions) {
        LongSupplier brokerEpoch = () -> lifecycle == null ? -1 : lifecycle.brokerEpoch();
        isrChanges = new IsrChangeSender(config.nodeId(), brokerEpoch, request -> controllerClient.alterPartition(request),
                CONTROLLER_RETRY_BACKOFF_MS, time);
        replicaLinks = new GrpcReplicaLinks(id -> Optional.ofNullable(loader.image().brokers().get(id))
                .map(b -> InetSocketAddress.createUnresolved(b.host(), b.port())),
                replicaAnswerMaxBytes());
        replicaFetchers = new ReplicaFetcherManager(config.nodeId(), replicaLinks, brokerEpoch,
                new ReplicaFetchSettings(config.replicaFetchWaitMaxMs(), config.replicaFetchResponseMaxBytes(),
                        config.replicaFetchMaxBytes(), config.replicaFetchBackoffMs(), config.replicaSocketTimeoutMs()),
                isrChanges, time);
        partitions.setReplicaRoles(replicaFetchers);
        long lagTimeMaxMs = config.replicaLagTimeMaxMs();
        scheduler.schedulePeriodically("isr-shrink", () -> partitions.maybeShrinkIsrs(lagTimeMaxMs),
                lagTimeMaxMs / 2, Math.max(1, lagTimeMaxMs / 2));
    }

    /**
     * The largest answer a follower accepts: the answer budget, plus one whole batch however large
     * (a leader always sends the first one whole) — at most what a produce request may carry.
     */
    private int replicaAnswerMaxBytes() {
        long bytes = (long) config.replicaFetchResponseMaxBytes() + config.replicaFetchMaxBytes()
                + maxInboundMessageBytes() + (1 << 20);
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** The largest request a listener accepts (a produce request carries whole batches). */
    private int maxInboundMessageBytes() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(64L << 20, config.fetchMaxBytes() + (1L << 20)));
    }

    private void startBrokerListeners(String clusterId, PartitionManager partitions) {
        GrpcCalls calls = new GrpcCalls(() -> serving);
        ClusterHandler cluster = new ClusterHandler(clusterId, config.nodeId(), loader, partitions, quorum::leaderId);
        TopicTraffic traffic = TopicTraffic.NONE;
        if (metrics != null) {
            TopicTrafficMetrics trafficMetrics = new TopicTrafficMetrics(metrics.registry());
            loader.register(trafficMetrics);
            traffic = trafficMetrics;
        }
        produceService = new ProduceGrpcService(new ProduceHandler(loader, partitions, producePurgatory, time,
                config.requestTimeoutMs(), traffic), calls);
        replicaService = new ReplicaGrpcService(sink -> new LeaderSession(partitions::partitionOrNull, loader::image,
                replicaPurgatory, isrChanges, time, config.replicaFetchMaxBytes(), sink), calls);
        List<BindableService> services = List.of(produceService, replicaService,
                new FetchGrpcService(new FetchHandler(loader, partitions, fetchPurgatory, config.fetchMaxBytes(), traffic),
                        new ListOffsetsHandler(loader, partitions), calls),
                new ClusterGrpcService(cluster, new ClusterDescriber(clusterId, loader, quorum,
                        config.quorumRequestTimeoutMs()), calls),
                new GroupGrpcService(groupCoordinator, calls, time).withClientHost(),
                new AdminGrpcService(new AdminHandler(controllerClient), cluster,
                        new ConfigsHandler(config.nodeId(), new ConfigsHandler.StaticConfigs(BrokerConfig.CONFIG_DEF,
                                config.staticValues(), config.explicitlySetKeys()), loader::image, controllerClient),
                        calls,
                        new DeleteRecordsHandler(loader, partitions, logManager::checkpoint,
                                deleteRecordsPurgatory, config.requestTimeoutMs())));
        for (Listener listener : config.brokerListeners()) {
            servers.add(startListener(listener, services));
        }
    }

    /**
     * Registers with the active controller and waits until the image holds everything up to that
     * registration — only then can logs of topics deleted meanwhile be told apart, and only then are
     * partitions hosted and given their roles — and until the controller has unfenced this broker.
     */
    private void joinAsBroker(String clusterId, PartitionManager partitions) {
        Listener advertised = config.advertisedListeners().get(0);
        int port = advertised.port() == 0 ? boundPort() : advertised.port();
        lifecycle = new BrokerLifecycle(config, clusterId, advertised.advertisedHost(), port, controllerClient,
                quorum, loader, () -> closing, time);
        lifecycle.registerAndCatchUp();
        MetadataImage image = loader.image();
        partitions.startHosting();
        groupCoordinator.start();
        logManager.startBackgroundTasks();
        log.info("Replayed the metadata log up to offset {}: {} topics, {} brokers", image.lastOffset(),
                image.topicsByName().size(), image.brokers().size());
        lifecycle.startHeartbeatsAndAwaitUnfenced();
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

    private Server startListener(Listener listener, List<BindableService> services) {
        InetSocketAddress address = listener.host().isEmpty() ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                .maxInboundMessageSize(maxInboundMessageBytes())
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        if (rpcObserver != null) {
            builder.intercept(rpcObserver);
        }
        services.forEach(builder::addService);
        try {
            return builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + listener.name() + "://" + listener.host() + ":"
                    + listener.port() + ": " + e.getMessage(), e);
        }
    }

    /** The port the first client listener is bound to (the controller listener's on a controller-only node). */
    public int boundPort() {
        return servers.stream().filter(s -> s != controllerServer).findFirst().orElse(servers.get(0)).getPort();
    }

    /** The port the metrics endpoint is bound to, or -1 when metrics.enabled is false (or before start-up). */
    public int metricsPort() {
        NodeMetrics current = metrics;
        return current == null ? -1 : current.port();
    }

    /** The metadata quorum's leader (the active controller) as this node knows it, or -1. */
    public int activeControllerId() {
        return quorum == null ? -1 : quorum.leaderId();
    }

    /** This broker's replica of {@code tp}, if it hosts one (any thread; for diagnostics and tests). */
    public Optional<Partition> localReplica(TopicPartition tp) {
        return partitionManager == null ? Optional.empty() : Optional.ofNullable(partitionManager.partitionOrNull(tp));
    }

    /** The metadata image this node has applied (any thread). */
    public MetadataImage metadataImage() {
        return loader.image();
    }

    private List<String> boundAddresses() {
        return servers.stream().map(s -> s.getListenSockets().toString()).toList();
    }

    /**
     * Stops the node cleanly. Idempotent. Order: controlled shutdown (a broker's leaderships move
     * away, bounded by shutdown.timeout.ms); refuse new requests; let the flusher make pending appends
     * durable (which answers the acks=all requests waiting on them); answer what still waits; end
     * open produce streams; drain the listeners; stop the controller and the quorum; flush every
     * log, write checkpoints and the clean-shutdown marker.
     */
    @Override
    public void close() {
        closing = true;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (lifecycle != null && serving) {
                // Probes see the node going away at once (Kubernetes stops routing to it), while it
                // still serves what arrives until its leaderships have moved.
                health.setStatus("", ServingStatus.NOT_SERVING);
                lifecycle.controlledShutdown(config.shutdownTimeoutMs());
            }
            serving = false;
            health.enterTerminalState();
            log.info("Tributary node {} shutting down", config.nodeId());
            servers.forEach(Server::shutdown);
            closeRequestPath();
            awaitListeners();
            closeQuietly(lifecycle);
            closeQuietly(controllerClient);
            closeQuietly(controller);
            closeQuietly(quorum);
            if (logManager != null) {
                logManager.shutdown();
            }
            if (scheduler != null) {
                scheduler.close();
            }
            closeQuietly(metrics);
            log.info("Tributary node {} stopped", config.nodeId());
        }
    }

    /** Each step runs even if an earlier one failed: the logs must still be flushed and checkpointed. */
    private void closeRequestPath() {
        closeQuietly(replicaFetchers);
        closeQuietly(isrChanges);
        if (replicaService != null) {
            closeQuietly(replicaService::closeStreams);
        }
        closeQuietly(replicaPurgatory);
        closeQuietly(replicaLinks);
        closeQuietly(flusher);
        closeQuietly(producePurgatory);
        closeQuietly(fetchPurgatory);
        closeQuietly(groupCoordinator);
        closeQuietly(coordinatorPurgatory);
        closeQuietly(deleteRecordsPurgatory);
        if (produceService != null) {
            closeQuietly(produceService::closeStreams);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Closing {} failed", closeable.getClass().getSimpleName(), e);
        }
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
