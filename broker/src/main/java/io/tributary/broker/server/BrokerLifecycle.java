package io.tributary.broker.server;

import io.tributary.common.Time;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.StaleBrokerEpochException;
import io.tributary.proto.controller.v1.BrokerHeartbeatRequest;
import io.tributary.proto.controller.v1.BrokerHeartbeatResponse;
import io.tributary.proto.controller.v1.BrokerRegistrationRequest;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.runtime.MetadataQuorum;
import io.tributary.quorum.transport.ControllerClient;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's life as the controller sees it: register a new incarnation, catch up with the metadata
 * log up to that registration, heartbeat (which unfences the broker and keeps its session alive),
 * and at shutdown ask for controlled shutdown so its leaderships move before it exits.
 *
 * <p>Heartbeats run on their own thread, one at a time; the start-up steps block the caller until
 * they succeed or the node is closing.
 */
final class BrokerLifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerLifecycle.class);

    private final BrokerRegistrationRequest registration;
    private final ControllerClient controller;
    private final MetadataQuorum quorum;
    private final MetadataLoader loader;
    private final long heartbeatIntervalMs;
    private final BooleanSupplier closing;
    private final Time time;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "broker-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Void> unfenced = new CompletableFuture<>();
    private final CompletableFuture<Void> shutdownAllowed = new CompletableFuture<>();
    private volatile long brokerEpoch = -1;
    private volatile String unfitReason;
    private volatile boolean wantShutdown;

    BrokerLifecycle(BrokerConfig config, String clusterId, String host, int port, ControllerClient controller,
                    MetadataQuorum quorum, MetadataLoader loader, BooleanSupplier closing, Time time) {
        this.registration = BrokerRegistrationRequest.newBuilder().setBrokerId(config.nodeId())
                .setIncarnationId(UUID.randomUUID().toString()).setClusterId(clusterId).setHost(host).setPort(port)
                .setRack(config.rack()).build();
        this.controller = controller;
        this.quorum = quorum;
        this.loader = loader;
        this.heartbeatIntervalMs = config.brokerHeartbeatIntervalMs();
        this.closing = closing;
        this.time = time;
    }

    /**
     * Registers and waits until this node has applied the metadata log up to its registration: from
     * then on its image holds every topic that existed, so stray logs can be told apart.
     */
    void registerAndCatchUp() {
        brokerEpoch = untilDone("registering with the controller",
                () -> controller.registerBroker(registration).thenApply(r -> r.getBrokerEpoch()));
        untilDone("catching up with the metadata log", () -> quorum.awaitApplied(brokerEpoch));
        log.info("Broker {} registered at broker epoch {} and caught up with the metadata log",
                registration.getBrokerId(), brokerEpoch);
    }

    /** Starts heartbeating at once and waits until the controller has unfenced this broker. */
    void startHeartbeatsAndAwaitUnfenced() {
        heartbeats.schedule(() -> heartbeat(true), 0, TimeUnit.MILLISECONDS);
        untilDone("waiting to be unfenced", () -> unfenced);
    }

    /**
     * One heartbeat; with {@code reschedule} it schedules the next whatever happened, so the chain
     * never ends while the node runs. A node whose metadata can no longer be applied stops
     * heartbeating: the controller then fences it rather than route clients to a frozen image.
     */
    private void heartbeat(boolean reschedule) {
        long startMs = time.hiResMilliseconds();
        try {
            if (quorum.failed()) {
                log.error("Broker {} stops heartbeating: its metadata can no longer be applied (see above); the "
                        + "controller will fence it", registration.getBrokerId());
                return;
            }
            if (unfitReason != null) {
                log.error("Broker {} stops heartbeating: {}; the controller will fence it and move its "
                        + "leaderships", registration.getBrokerId(), unfitReason);
                // A broker still starting up gives up instead of waiting to be unfenced forever.
                unfenced.completeExceptionally(new IllegalStateException(unfitReason));
                return;
            }
            sendHeartbeat();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            log.warn("Heartbeat to the controller failed: {}", e.toString());
        }
        if (!reschedule) {
            return;
        }
        try {
            heartbeats.schedule(() -> heartbeat(true), Math.max(0, heartbeatIntervalMs - (time.hiResMilliseconds()
                    - startMs)), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            log.debug("Heartbeats stopped");
        }
    }

    private void sendHeartbeat() throws InterruptedException {
        BrokerHeartbeatRequest request = BrokerHeartbeatRequest.newBuilder().setBrokerId(registration.getBrokerId())
                .setBrokerEpoch(brokerEpoch).setMetadataOffset(loader.image().lastOffset())
                .setWantShutdown(wantShutdown).build();
        try {
            BrokerHeartbeatResponse response = controller.heartbeat(request).get();
            if (!response.getFenced()) {
                unfenced.complete(null);
            }
            if (response.getShouldShutdown()) {
                shutdownAllowed.complete(null);
            }
        } catch (ExecutionException e) {
            Throwable cause = Errors.unwrap(e);
            if (cause instanceof StaleBrokerEpochException) {
                log.warn("The controller no longer knows this broker's registration ({}); registering again",
                        cause.getMessage());
                reregister();
            } else {
                log.warn("Heartbeat to the controller failed: {}", cause.getMessage());
            }
        }
    }

    private void reregister() {
        try {
            brokerEpoch = controller.registerBroker(registration).get().getBrokerEpoch();
        } catch (ExecutionException e) {
            log.warn("Registering again failed: {}", Errors.unwrap(e).getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the controller to move this broker's leaderships away (through the heartbeat) and waits up
     * to {@code timeoutMs} for its answer that the broker may exit. Returns whether it came.
     */
    boolean controlledShutdown(long timeoutMs) {
        if (brokerEpoch < 0 || !unfenced.isDone()) {
            return false;
        }
        wantShutdown = true;
        // One extra heartbeat now, carrying the request; the periodic chain goes on meanwhile.
        heartbeats.schedule(() -> heartbeat(false), 0, TimeUnit.MILLISECONDS);
        try {
            shutdownAllowed.get(timeoutMs, TimeUnit.MILLISECONDS);
            log.info("Controlled shutdown of broker {} complete: its leaderships moved", registration.getBrokerId());
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Controlled shutdown did not complete within {} ms; shutting down anyway", timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Waits for an asynchronous step until it succeeds or the node closes. A retriable failure (the
     * controller client already retried it for a request timeout) is tried again; others are fatal.
     */
    private <T> T untilDone(String what, java.util.function.Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> pending = step.get();
        while (true) {
            if (closing.getAsBoolean()) {
                throw new BrokerNotAvailableException("the node is shutting down while " + what);
            }
            try {
                return pending.get(heartbeatIntervalMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                log.debug("Still {}", what);
            } catch (ExecutionException e) {
                Throwable cause = Errors.unwrap(e);
                if (!(cause instanceof RetriableException)) {
                    throw new IllegalStateException(what + " failed: " + cause.getMessage(), cause);
                }
                log.warn("{} failed, retrying: {}", what, cause.getMessage());
                pending = step.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerNotAvailableException("interrupted while " + what, e);
            }
        }
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
    }

    /** The epoch of this broker's current registration, or -1 before it registered. */
    long brokerEpoch() {
        return brokerEpoch;
    }

    /**
     * The broker can no longer serve its partitions (every log directory failed): it stops
     * heartbeating, so the controller fences it after broker.session.timeout.ms and elects new
     * leaders from the ISRs, as it does for a broker that died.
     */
    void stopHeartbeating(String reason) {
        unfitReason = reason;
    }
}
