package io.tributary.client.admin.internal;

import io.tributary.client.internal.Backoff;
import io.grpc.Channel;
import io.tributary.client.Node;
import io.tributary.client.internal.Channels;
import io.tributary.client.internal.ClientMetadata;
import io.tributary.client.internal.ClientMetadata.HostPort;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.internal.GroupCoordinators;
import io.tributary.common.Time;
import io.tributary.common.errors.TimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every call of one admin client shares: the channels, the cluster metadata, a timer thread
 * for retries and deadlines ({@code tributary-admin-<clientId>}), a thread for the blocking metadata
 * refreshes ({@code tributary-admin-metadata-<clientId>}, so they never delay a timer), the retry
 * settings, and the calls in flight, which {@link #close} waits for and then aborts.
 *
 * <p>Thread-safe. Both threads are daemons and start on first use.
 */
public final class AdminRuntime {

    private static final Logger log = LoggerFactory.getLogger(AdminRuntime.class);

    /**
     * @param requestTimeoutMs    bounds each RPC attempt
     * @param defaultApiTimeoutMs bounds each call whose options give no timeout
     * @param retryBackoffMs      the first wait before a retry
     * @param retryBackoffMaxMs   the longest wait between retries
     */
    public record Settings(long requestTimeoutMs, long defaultApiTimeoutMs, long retryBackoffMs,
                           long retryBackoffMaxMs) {
    }

    private record Pending(String name, Consumer<Throwable> abort) {
    }

    private final Settings settings;
    private final Time time;
    private final Channels channels;
    private final ClientMetadata metadata;
    private final GroupCoordinators coordinators;
    private final List<HostPort> bootstrap;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService metadataThread;
    private final Map<CompletableFuture<?>, Pending> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger nextTarget = new AtomicInteger();
    private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @throws io.tributary.common.errors.InvalidConfigurationException naming bootstrap.servers when an
     *     entry is not {@code host:port}
     */
    public AdminRuntime(String clientId, Settings settings, List<String> bootstrapServers, long metadataMaxAgeMs,
                        Time time) {
        this.settings = settings;
        this.time = time;
        this.bootstrap = ClientMetadata.parseBootstrap(bootstrapServers);
        this.channels = new Channels(clientId);
        this.metadata = new ClientMetadata(bootstrapServers, channels, time, metadataMaxAgeMs,
                settings.requestTimeoutMs());
        this.coordinators = new GroupCoordinators(metadata, channels, settings.requestTimeoutMs());
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("tributary-admin-" + clientId));
        timer.setRemoveOnCancelPolicy(true);
        this.metadataThread = Executors.newSingleThreadExecutor(daemon("tributary-admin-metadata-" + clientId));
    }

    private ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            ownThreads.add(thread);
            return thread;
        };
    }

    /** A deadline {@code timeoutMs} from now, or {@code default.api.timeout.ms} when null. */
    public Deadline deadline(Integer timeoutMs) {
        return new Deadline(time, timeoutMs != null ? timeoutMs : settings.defaultApiTimeoutMs());
    }

    /** The RPC timeout of an attempt: request.timeout.ms, cut to what is left of the call (at least 1 ms). */
    public long attemptTimeoutMs(Deadline deadline) {
        return Math.max(1, Math.min(settings.requestTimeoutMs(), deadline.remainingMs()));
    }

    /** The wait before retry number {@code failures + 1}: retry.backoff.ms doubled per failure, capped. */
    public long backoffMs(int failures) {
        return Backoff.exponentialMs(settings.retryBackoffMs(), settings.retryBackoffMaxMs(), failures);
    }

    /** A starting index for {@link #target}, different for consecutive calls to spread them over brokers. */
    public int firstTarget() {
        return nextTarget.getAndIncrement();
    }

    /** Known brokers (by id), then the bootstrap servers, without duplicates; {@code index} wraps around. */
    public HostPort target(int index) {
        Set<HostPort> candidates = new LinkedHashSet<>();
        List<Node> known = new ArrayList<>(metadata.view().brokers().values());
        known.sort(Comparator.comparingInt(Node::id));
        known.forEach(node -> candidates.add(new HostPort(node.host(), node.port())));
        candidates.addAll(bootstrap);
        List<HostPort> ordered = new ArrayList<>(candidates);
        return ordered.get(Math.floorMod(index, ordered.size()));
    }

    /** The channel to {@code target}. @throws IllegalStateException once closed */
    public Channel channel(HostPort target) {
        return channels.forAddress(target.host(), target.port());
    }

    /** The channel to {@code node}. @throws IllegalStateException once closed */
    public Channel channel(Node node) {
        return channels.forAddress(node.host(), node.port());
    }

    /**
     * Metadata describing {@code topics}: the current snapshot when it is fresh and already covers
     * them, else one refreshed on the metadata thread (failing with the last broker's error).
     */
    public CompletableFuture<ClusterView> metadataFor(Collection<String> topics) {
        metadata.addTopics(topics);
        if (!metadata.updateDue()) {
            return CompletableFuture.completedFuture(metadata.view());
        }
        try {
            return CompletableFuture.supplyAsync(() -> metadata.updateDue() ? metadata.refresh() : metadata.view(),
                    metadataThread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the admin client is closed", e));
        }
    }

    /**
     * Attempts to the coordinator of {@code groupId}: found with FindCoordinator on the metadata
     * thread (a blocking RPC, kept off the timer), remembered until an attempt fails.
     */
    public TargetedCall.Target coordinatorOf(String groupId) {
        return new TargetedCall.Target() {
            @Override
            public CompletableFuture<Node> node() {
                try {
                    return CompletableFuture.supplyAsync(() -> coordinators.coordinator(groupId), metadataThread);
                } catch (RejectedExecutionException e) {
                    return CompletableFuture.failedFuture(new IllegalStateException("the admin client is closed", e));
                }
            }

            @Override
            public void forget() {
                coordinators.invalidate(groupId);
            }

            @Override
            public String description() {
                return "the coordinator of group '" + groupId + "'";
            }
        };
    }

    /** Marks the metadata stale, e.g. after a NOT_LEADER_OR_FOLLOWER answer. */
    public void requestMetadataUpdate() {
        metadata.requestUpdate();
    }

    /**
     * Tracks a call until {@code done} completes: {@code onExpiry} runs on the timer thread at the
     * deadline, and {@link #close} waits for it and then aborts it with {@code abort}.
     *
     * @return false, having aborted the call with an IllegalStateException, when the client is closed
     */
    public boolean begin(String name, Deadline deadline, CompletableFuture<?> done,
                         Consumer<Throwable> abort, Runnable onExpiry) {
        inFlight.put(done, new Pending(name, abort));
        done.whenComplete((ignored, error) -> inFlight.remove(done));
        if (closed) {
            inFlight.remove(done);
            abort.accept(new IllegalStateException(name + " failed: the admin client is closed"));
            return false;
        }
        try {
            var expiry = timer.schedule(onExpiry, Math.max(0, deadline.remainingMs()), TimeUnit.MILLISECONDS);
            done.whenComplete((ignored, error) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            abort.accept(new IllegalStateException(name + " failed: the admin client is closed", e));
            return false;
        }
        return true;
    }

    /**
     * Runs {@code retry} on the timer thread after {@code delayMs}, first making every channel that
     * waits to reconnect try again at once. Does nothing once the client is closed (close aborts
     * the calls it did not wait for).
     */
    public void retryLater(Runnable retry, long delayMs) {
        try {
            timer.schedule(() -> {
                channels.resetConnectBackoff();
                retry.run();
            }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Not retrying: the admin client is closed");
        }
    }

    /**
     * Stops accepting calls, waits up to {@code timeoutMs} for the calls in flight, fails those still
     * running with a TimeoutException, then stops both threads and the channels. Called on one of the
     * admin threads (from a result's callback), it does not wait: those threads run the retries and
     * deadlines the calls in flight would need.
     */
    public void close(long timeoutMs) {
        closed = true;
        long waitMs = timeoutMs;
        if (ownThreads.contains(Thread.currentThread())) {
            log.warn("Admin client closed from its own thread (a result callback); calls in flight are aborted at once");
            waitMs = 0;
        }
        Deadline deadline = new Deadline(time, waitMs);
        try {
            Futures.allOf(new ArrayList<>(inFlight.keySet())).get(waitMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            log.debug("Closing the admin client with calls still in flight or failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending pending : new ArrayList<>(inFlight.values())) {
            pending.abort().accept(new TimeoutException(pending.name() + " was aborted: the admin client was closed "
                    + "before the call completed"));
        }
        timer.shutdownNow();
        metadataThread.shutdownNow();
        channels.close(Math.max(0, Math.min(deadline.remainingMs(), 5_000)));
    }
}
