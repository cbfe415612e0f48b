package io.tributary.broker.server;

import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.tributary.broker.grpc.AdminGrpcService;
import io.tributary.broker.grpc.ClusterGrpcService;
import io.tributary.broker.grpc.FetchGrpcService;
import io.tributary.broker.grpc.GrpcCalls;
import io.tributary.broker.grpc.BrokerChannels;
import io.tributary.broker.grpc.GrpcReplicaLinks;
import io.tributary.broker.grpc.GroupGrpcService;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.grpc.ProduceGrpcService;
import io.tributary.broker.grpc.ReplicaGrpcService;
import io.tributary.broker.metrics.NodeMetrics;
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
import io.tributary.broker.replica.ReplicaFetcherManager;
import io.tributary.broker.request.ProduceHandler;
import io.tributary.broker.request.TopicTraffic;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.quorum.controller.QuorumController;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.runtime.MetadataQuorum;
import io.tributary.quorum.transport.ControllerClient;
import io.tributary.quorum.transport.ControllerGrpcService;
import io.tributary.storage.LogManager;
import io.tributary.storage.Scheduler;
import io.tributary.storage.io.FileIo;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final NodeListeners listeners;
    private final MetadataLoader loader = new MetadataLoader();
    private volatile boolean serving;
    private volatile boolean closing;
    private Scheduler scheduler;
    private LogManager logManager;
    private LogFlusher flusher;
    private DelayedOperationPurgatory producePurgatory;
    private DelayedOperationPurgatory fetchPurgatory;
    private DelayedOperationPurgatory replicaPurgatory;
    private DelayedOperationPurgatory coordinatorPurgatory;
    private DelayedOperationPurgatory deleteRecordsPurgatory;
    private GroupCoordinator groupCoordinator;
    /** The channels to the other brokers: the replica links own them, the group lag metrics borrow them. */
    private BrokerChannels brokerChannels;
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
        this.listeners = new NodeListeners(health, config);
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
        metrics = MetricsBindings.start(config);
        MetricsBindings.bindRpcs(metrics, listeners);
        PartitionManager partitions = config.isBroker() ? startStorage(clusterId) : null;
        quorum = QuorumFactory.quorum(config, loader, time);
        if (config.isController()) {
            controller = QuorumFactory.controller(config, clusterId, quorum, loader, time);
        }
        MetricsBindings.bindQuorum(metrics, controller, quorum, loader);
        controllerClient = new ControllerClient(quorum, controller, CONTROLLER_RETRY_BACKOFF_MS,
                config.quorumRequestTimeoutMs(), config.requestTimeoutMs());
        if (config.isController() && config.controllerListener().isPresent()) {
            listeners.startController(config.controllerListener().get(),
                    List.of(quorum.service(), new ControllerGrpcService(controller)));
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
                listeners.boundAddresses());
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
        MetricsBindings.bindPartitions(metrics, partitions, loader);
        groupCoordinator = new GroupCoordinator(config.nodeId(), config.groupCoordinatorConfig(),
                partitions::partitionOrNull, loader::image, request -> controllerClient.createTopics(request),
                coordinatorPurgatory, time, config.requestTimeoutMs());
        loader.register(groupCoordinator);
        MetricsBindings.bindGroupLag(metrics, config, groupCoordinator, partitions, loader, brokerChannels);
        NodeStorage.ensureMetadataLogWhereExpected(config, logManager);
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
        brokerChannels = new BrokerChannels(replicaAnswerMaxBytes());
        replicaLinks = new GrpcReplicaLinks(id -> Optional.ofNullable(loader.image().brokers().get(id))
                .map(b -> InetSocketAddress.createUnresolved(b.host(), b.port())), brokerChannels);
        replicaFetchers = new ReplicaFetcherManager(config.nodeId(), replicaLinks, brokerEpoch,
                config.replicationConfig().fetchSettings(), isrChanges, time);
        partitions.setReplicaRoles(replicaFetchers);
        long lagTimeMaxMs = config.replicationConfig().lagTimeMaxMs();
        scheduler.schedulePeriodically("isr-shrink", () -> partitions.maybeShrinkIsrs(lagTimeMaxMs),
                lagTimeMaxMs / 2, Math.max(1, lagTimeMaxMs / 2));
    }

    /**
     * The largest answer a follower accepts: the answer budget, plus one whole batch however large
     * (a leader always sends the first one whole) — at most what a produce request may carry.
     */
    private int replicaAnswerMaxBytes() {
        ReplicationConfig replication = config.replicationConfig();
        long bytes = (long) replication.fetchResponseMaxBytes() + replication.fetchMaxBytes()
                + listeners.maxInboundMessageBytes() + (1 << 20);
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private void startBrokerListeners(String clusterId, PartitionManager partitions) {
        GrpcCalls calls = new GrpcCalls(() -> serving);
        ClusterHandler cluster = new ClusterHandler(clusterId, config.nodeId(), loader, partitions, quorum::leaderId);
        TopicTraffic traffic = MetricsBindings.topicTraffic(metrics, loader);
        produceService = new ProduceGrpcService(new ProduceHandler(loader, partitions, producePurgatory, time,
                config.requestTimeoutMs(), traffic), calls);
        replicaService = new ReplicaGrpcService(sink -> new LeaderSession(partitions::partitionOrNull, loader::image,
                replicaPurgatory, isrChanges, time, config.replicationConfig().fetchMaxBytes(), sink), calls);
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
                        new DeleteRecordsHandler(loader, partitions, logManager::checkpointLogStartOffsets,
                                deleteRecordsPurgatory, config.requestTimeoutMs())));
        for (Listener listener : config.brokerListeners()) {
            listeners.startClient(listener, services);
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

    /** The port the first client listener is bound to (the controller listener's on a controller-only node). */
    public int boundPort() {
        return listeners.boundPort();
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
            listeners.shutdown();
            closeRequestPath();
            listeners.awaitTermination(config.shutdownTimeoutMs());
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
}
