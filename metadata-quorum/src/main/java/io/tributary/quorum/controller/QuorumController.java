package io.tributary.quorum.controller;

import io.tributary.common.Time;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.UnknownServerException;
import io.tributary.common.errors.NotControllerException;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.common.errors.StaleBrokerEpochException;
import io.tributary.proto.controller.v1.AllocateProducerIdsRequest;
import io.tributary.proto.controller.v1.AllocateProducerIdsResponse;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.BrokerHeartbeatRequest;
import io.tributary.proto.controller.v1.BrokerHeartbeatResponse;
import io.tributary.proto.controller.v1.BrokerRegistrationRequest;
import io.tributary.proto.controller.v1.BrokerRegistrationResponse;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreatePartitionsResponse;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsResponse;
import io.tributary.proto.v1.ElectLeadersRequest;
import io.tributary.proto.v1.ElectLeadersResponse;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.IncrementalAlterConfigsResponse;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataDelta;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.runtime.MetadataQuorum;
import io.tributary.quorum.runtime.RaftDriver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: a single-threaded event loop that acts only while this node leads the metadata
 * quorum. Every write operation becomes active first (its epoch's start entry is committed and
 * applied, so the image holds everything earlier leaders committed), computes records and a
 * response from the current image, appends the records as one entry tied to that epoch, and
 * answers only once they are committed and applied — so the next operation sees them. State changes
 * only by replay (the same on every node); a standby controller therefore takes over with nothing
 * lost. Non-leaders answer {@link NotControllerException} naming the active controller.
 *
 * <p>Writes queued together run as a batch: each is computed from the image the earlier ones leave
 * (so none misses another's records) and appended as its own entry, and the driver flushes them
 * together (group commit); answers go out in order, each once its entry is committed and applied.
 *
 * <p>A timer on the same loop fences brokers whose session expired and, every leader-imbalance check
 * interval of the injected clock, moves leaderships back to preferred replicas ({@link LeaderRebalance}).
 */
public final class QuorumController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuorumController.class);

    /** Largest metadata entry one operation may produce (about 150,000 partition records). */
    public static final int MAX_ENTRY_BYTES = 8 << 20;

    /** A response with the offset its records committed at (-1 when there were none). */
    private record Committed<R>(R response, long offset) {
    }

    /** A write waiting for the loop: how to compute it from an image, and its caller's future. */
    private record Op<R>(Function<MetadataImage, ControllerResult<R>> compute, CompletableFuture<Committed<R>> done) {
    }

    /** A write computed in a batch, with its append (null when it wrote nothing). */
    private record Computed<R>(Op<R> op, R response, CompletableFuture<Long> append) {
    }

    /** Most writes computed and appended together before their commits are awaited. */
    private static final int MAX_BATCH = 128;

    /**
     * How the controller behaves.
     *
     * @param activationTimeoutMs                how long an operation waits for a new leader's epoch to commit
     * @param timerIntervalMs                    how often the loop looks for expired broker sessions and a due
     *                                           leader rebalance (so also the rebalance's granularity)
     * @param autoLeaderRebalance                whether leaderships move back to preferred replicas by themselves
     * @param leaderImbalancePerBrokerPercentage the share of a broker's preferred partitions led elsewhere
     *                                           above which they move back (0 to 100)
     * @param leaderImbalanceCheckIntervalMs     how long, by the injected clock, between two rebalances; the
     *                                           first comes this long after the controller became active
     */
    public record Settings(long activationTimeoutMs, long timerIntervalMs, boolean autoLeaderRebalance,
                           int leaderImbalancePerBrokerPercentage, long leaderImbalanceCheckIntervalMs) {

        public Settings {
            if (activationTimeoutMs <= 0 || timerIntervalMs <= 0 || leaderImbalanceCheckIntervalMs <= 0) {
                throw new IllegalArgumentException("controller timeouts and intervals must be positive: activation "
                        + activationTimeoutMs + " ms, timer " + timerIntervalMs + " ms, leader imbalance check "
                        + leaderImbalanceCheckIntervalMs + " ms");
            }
            if (leaderImbalancePerBrokerPercentage < 0 || leaderImbalancePerBrokerPercentage > 100) {
                throw new IllegalArgumentException("leaderImbalancePerBrokerPercentage must be 0 to 100, got "
                        + leaderImbalancePerBrokerPercentage);
            }
        }
    }

    private final MetadataQuorum quorum;
    private final MetadataLoader loader;
    private final TopicControl topics;
    private final BrokerControl brokers;
    private final ConfigControl configs;
    private final ElectionControl elections = new ElectionControl();
    private final IsrControl isrs = new IsrControl();
    private final LeaderRebalance rebalance;
    private final Settings settings;
    private final Time time;
    private final ScheduledExecutorService loop;
    private final ConcurrentLinkedQueue<Op<?>> pending = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private int activeEpoch = -1;
    /** When the next leader rebalance is due, by {@link #time}; touched only on the loop. */
    private long nextRebalanceMs;

    public QuorumController(MetadataQuorum quorum, MetadataLoader loader, TopicControl topics, BrokerControl brokers,
                            ConfigControl configs, Settings settings, Time time) {
        this.quorum = quorum;
        this.loader = loader;
        this.topics = topics;
        this.brokers = brokers;
        this.configs = configs;
        this.rebalance = new LeaderRebalance(settings.leaderImbalancePerBrokerPercentage());
        this.settings = settings;
        this.time = time;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "controller-event-loop");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.loop = executor;
    }

    /** Starts the timer: the broker-session check and, when enabled, the leader rebalance. */
    public void start() {
        loop.scheduleWithFixedDelay(this::onTimer, settings.timerIntervalMs(), settings.timerIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest request) {
        return write(image -> topics.createTopics(image, request));
    }

    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest request) {
        return write(image -> topics.deleteTopics(image, request));
    }

    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest request) {
        return write(image -> topics.createPartitions(image, request));
    }

    /** Config changes, recorded as one entry; validate_only ones write nothing. */
    public CompletableFuture<IncrementalAlterConfigsResponse> incrementalAlterConfigs(
            IncrementalAlterConfigsRequest request) {
        return write(image -> configs.incrementalAlterConfigs(image, request));
    }

    /** Registers a broker incarnation; the answer's epoch is the offset of its registration. */
    public CompletableFuture<BrokerRegistrationResponse> registerBroker(BrokerRegistrationRequest request) {
        return enqueue(image -> brokers.register(image, request, time.hiResMilliseconds())).thenApply(committed -> {
            if (committed.offset() < 0) {
                // A retry of the registered incarnation: answered after every earlier write was applied.
                long epoch = loader.image().broker(request.getBrokerId()).map(BrokerImage::epoch).orElseThrow(() ->
                        new StaleBrokerEpochException("broker " + request.getBrokerId() + " is not registered"));
                return BrokerRegistrationResponse.newBuilder().setBrokerEpoch(epoch).build();
            }
            log.info("Registered broker {} (incarnation {}, rack '{}') at broker epoch {}", request.getBrokerId(),
                    request.getIncarnationId(), request.getRack(), committed.offset());
            return BrokerRegistrationResponse.newBuilder().setBrokerEpoch(committed.offset()).build();
        });
    }

    public CompletableFuture<BrokerHeartbeatResponse> heartbeat(BrokerHeartbeatRequest request) {
        return enqueue(image -> brokers.heartbeat(image, request, time.hiResMilliseconds())).thenApply(committed -> {
            if (committed.offset() >= 0) {
                log.info("Broker {}: {}", request.getBrokerId(), committed.response().getShouldShutdown()
                        ? "controlled shutdown, leaderships moved away and fenced" : "caught up, unfenced");
            }
            return committed.response();
        });
    }

    /** Preferred or unclean leader elections an administrator asked for. */
    public CompletableFuture<ElectLeadersResponse> electLeaders(ElectLeadersRequest request) {
        return write(image -> elections.electLeaders(image, request, brokers.liveBrokers(image,
                time.hiResMilliseconds())));
    }

    public CompletableFuture<AllocateProducerIdsResponse> allocateProducerIds(AllocateProducerIdsRequest request) {
        return write(image -> brokers.allocateProducerIds(image, request));
    }

    /**
     * ISR changes a partition leader asks for, each checked against the partition's current leader,
     * leader epoch and partition epoch; answered once the accepted ones are committed.
     *
     * @return per change, in request order, NONE with the committed state, or why it was refused; fails
     *         with StaleBrokerEpochException when broker_epoch is not the broker's current one
     */
    public CompletableFuture<AlterPartitionResponse> alterPartition(AlterPartitionRequest request) {
        return write(image -> isrs.alterPartition(image, request)).thenApply(response -> {
            IsrControl.logAccepted(loader.image(), request, response);
            return response;
        });
    }

    /** Whether this node is the active controller as far as it knows (any thread). */
    public boolean isActive() {
        return quorum.leaderId() == quorum.nodeId();
    }

    private <R> CompletableFuture<R> write(Function<MetadataImage, ControllerResult<R>> operation) {
        return enqueue(operation).thenApply(Committed::response);
    }

    private <R> CompletableFuture<Committed<R>> enqueue(Function<MetadataImage, ControllerResult<R>> compute) {
        Op<R> op = new Op<>(compute, new CompletableFuture<>());
        pending.add(op);
        try {
            loop.execute(this::drain);
        } catch (RejectedExecutionException e) {
            failPending();
        }
        return op.done();
    }

    /** On the loop: runs every queued write (up to MAX_BATCH) as one batch. */
    private void drain() {
        List<Op<?>> batch = new ArrayList<>();
        for (Op<?> op; batch.size() < MAX_BATCH && (op = pending.poll()) != null; ) {
            batch.add(op);
        }
        if (closed) {
            batch.forEach(op -> op.done().completeExceptionally(shutDown()));
        } else if (!batch.isEmpty()) {
            runBatch(batch);
        }
    }

    /**
     * On the loop: become active; compute each write from the image the earlier ones leave and append
     * it as its own entry tied to the epoch (the driver flushes them together); then answer in order,
     * each once its entry is committed and applied.
     */
    private void runBatch(List<Op<?>> batch) {
        RaftDriver.Leadership leadership;
        try {
            leadership = activate();
        } catch (Exception e) {
            batch.forEach(op -> op.done().completeExceptionally(e));
            return;
        }
        MetadataImage image = loader.image();
        List<Computed<?>> computed = new ArrayList<>();
        for (Op<?> op : batch) {
            try {
                image = compute(op, image, leadership, computed);
            } catch (RuntimeException e) {
                op.done().completeExceptionally(e);
            }
        }
        Exception failure = null;
        for (Computed<?> done : computed) {
            failure = answer(done, failure);
        }
    }

    private <R> MetadataImage compute(Op<R> op, MetadataImage image, RaftDriver.Leadership leadership,
                                      List<Computed<?>> computed) {
        ControllerResult<R> result = op.compute().apply(image);
        if (result.records().isEmpty()) {
            computed.add(new Computed<>(op, result.response(), null));
            return image;
        }
        MetadataImage next = checkReplayable(image, result.records());
        computed.add(new Computed<>(op, result.response(), quorum.append(result.records(), leadership.epoch())));
        return next;
    }

    /**
     * Answers one computed write once its entry is applied. After a failed append every later answer
     * fails too: it was computed from records that may not have committed.
     */
    private <R> Exception answer(Computed<R> done, Exception earlierFailure) {
        if (earlierFailure != null) {
            done.op().done().completeExceptionally(earlierFailure);
            return earlierFailure;
        }
        if (done.append() == null) {
            done.op().done().complete(new Committed<>(done.response(), -1));
            return null;
        }
        try {
            long offset = done.append().get();
            done.op().done().complete(new Committed<>(done.response(), offset));
            return null;
        } catch (ExecutionException e) {
            Exception error = asControllerError(Errors.unwrap(e));
            done.op().done().completeExceptionally(error);
            return error;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.op().done().completeExceptionally(shutDown());
            return shutDown();
        }
    }

    /**
     * Refuses records that would be too large for one entry, or that every node would fail to replay:
     * once committed, such records would stop the metadata on every node, at every restart.
     */
    static MetadataImage checkReplayable(MetadataImage image, List<MetadataRecord> records) {
        long bytes = records.stream().mapToLong(MetadataRecord::getSerializedSize).sum();
        if (bytes > MAX_ENTRY_BYTES) {
            throw new InvalidRequestException("the operation would write " + bytes + " bytes of metadata, more than "
                    + "the " + MAX_ENTRY_BYTES + " one operation may; split it (e.g. fewer partitions per request)");
        }
        MetadataDelta delta = new MetadataDelta(image);
        try {
            records.forEach(record -> delta.replay(record, image.lastOffset() + 1));
        } catch (IllegalStateException e) {
            throw new UnknownServerException("the controller produced metadata it could not replay, so nothing "
                    + "was written: " + e.getMessage());
        }
        return delta.apply();
    }

    /**
     * Waits until this node leads and its epoch's start entry is applied; on a new epoch, gives every
     * broker a fresh session (heartbeats went to the previous controller).
     */
    private RaftDriver.Leadership activate() throws Exception {
        RaftDriver.Leadership leadership;
        try {
            leadership = quorum.leadership().get();
            quorum.awaitApplied(leadership.epochStartOffset()).get(settings.activationTimeoutMs(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw asControllerError(Errors.unwrap(e));
        } catch (TimeoutException e) {
            throw new NotControllerException("node " + quorum.nodeId() + " leads the metadata quorum but has not "
                    + "committed its epoch within " + settings.activationTimeoutMs() + " ms (is a majority of "
                    + "controllers up?)");
        }
        if (leadership.epoch() != activeEpoch) {
            activeEpoch = leadership.epoch();
            brokers.resetSessions(loader.image(), time.hiResMilliseconds());
            nextRebalanceMs = time.hiResMilliseconds() + settings.leaderImbalanceCheckIntervalMs();
            log.info("Node {} is the active controller at epoch {} (metadata offset {})", quorum.nodeId(),
                    activeEpoch, loader.image().lastOffset());
        }
        return leadership;
    }

    private Exception asControllerError(Throwable cause) {
        if (cause instanceof NotLeaderOrFollowerException) {
            return notController();
        }
        return cause instanceof Exception exception ? exception : new BrokerNotAvailableException(cause.toString(), cause);
    }

    /** NOT_CONTROLLER naming the active controller and its address, when known. */
    private NotControllerException notController() {
        int leader = quorum.leaderId();
        if (leader < 0) {
            return new NotControllerException("node " + quorum.nodeId() + " is not the active controller, and no "
                    + "active controller is known yet (an election may be in progress)");
        }
        InetSocketAddress address = quorum.voters().get(leader);
        return new NotControllerException("node " + quorum.nodeId() + " is not the active controller; the active "
                + "controller is node " + leader + (address == null ? "" : " at " + address.getHostString() + ":"
                + address.getPort()), leader);
    }

    private void onTimer() {
        fenceExpiredBrokers();
        maybeRebalanceLeaders();
    }

    private void fenceExpiredBrokers() {
        if (!isActive() || closed) {
            return;
        }
        while (true) {
            Op<Optional<Integer>> op = new Op<>(image -> brokers.fenceOneExpiredBroker(image,
                    time.hiResMilliseconds()), new CompletableFuture<>());
            runBatch(List.of(op));
            Optional<Integer> fenced = op.done().isCompletedExceptionally() ? Optional.empty()
                    : op.done().join().response();
            if (fenced.isEmpty()) {
                return;
            }
            log.info("Fenced broker {}: no heartbeat for broker.session.timeout.ms; its leaderships moved to other "
                    + "in-sync replicas", fenced.get());
        }
    }

    /**
     * Once the rebalance interval has passed: preferred elections for brokers leading too few of the
     * partitions they are preferred for. Due-ness is checked again after activation, which restarts the
     * interval when this node has just become the active controller.
     */
    private void maybeRebalanceLeaders() {
        if (!settings.autoLeaderRebalance() || !isActive() || closed || time.hiResMilliseconds() < nextRebalanceMs) {
            return;
        }
        Op<LeaderRebalance.Outcome> op = new Op<>(image -> {
            long nowMs = time.hiResMilliseconds();
            if (nowMs < nextRebalanceMs) {
                return new ControllerResult<>(List.of(), new LeaderRebalance.Outcome(List.of(), List.of()));
            }
            nextRebalanceMs = nowMs + settings.leaderImbalanceCheckIntervalMs();
            return rebalance.rebalance(image, brokers.liveBrokers(image, nowMs));
        }, new CompletableFuture<>());
        runBatch(List.of(op));
        op.done().whenComplete((committed, error) -> {
            if (error != null) {
                log.warn("Leader rebalance failed, retried at the next interval: {}", error.getMessage());
            } else {
                rebalance.log(committed.response());
            }
        });
    }

    private void failPending() {
        for (Op<?> op; (op = pending.poll()) != null; ) {
            op.done().completeExceptionally(shutDown());
        }
    }

    private static BrokerNotAvailableException shutDown() {
        return new BrokerNotAvailableException("the controller is shut down");
    }

    /** Stops the loop after the operation in progress; queued ones fail with BROKER_NOT_AVAILABLE. */
    @Override
    public void close() {
        closed = true;
        loop.shutdown();
        try {
            if (!loop.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Controller loop did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending();
    }
}
