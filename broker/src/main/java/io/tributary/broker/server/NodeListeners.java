package io.tributary.broker.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's gRPC servers: the controller listener and the client listeners. Each also serves gRPC
 * health (the node's one {@link HealthStatusManager}, so every listener reports the same status) and
 * reflection, and passes every call through the RPC interceptor when metrics are on.
 *
 * <p>Lifecycle: servers are started one by one during start-up; on shutdown {@link #shutdown} stops
 * them taking new calls and {@link #awaitTermination} drains them. Not thread-safe: {@link
 * BrokerServer} starts and stops them under its lock; the port getters are read once start-up has
 * returned.
 */
final class NodeListeners {

    private final HealthStatusManager health;
    private final int maxInboundMessageBytes;
    private final List<Server> servers = new ArrayList<>();
    private ServerInterceptor interceptor;
    private Server controllerServer;

    /** @param config sizes the largest request a listener accepts (see {@link #maxInboundMessageBytes}) */
    NodeListeners(HealthStatusManager health, BrokerConfig config) {
        this.health = health;
        this.maxInboundMessageBytes = (int) Math.min(Integer.MAX_VALUE,
                Math.max(64L << 20, config.fetchMaxBytes() + (1L << 20)));
    }

    /** The largest request a listener accepts (a produce request carries whole batches). */
    int maxInboundMessageBytes() {
        return maxInboundMessageBytes;
    }

    /** Every call of the servers started from now on goes through {@code interceptor} (the RPC meters). */
    void interceptWith(ServerInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    /** Opens the listener serving the Raft quorum and the controller API. */
    void startController(Listener listener, List<BindableService> services) {
        controllerServer = start(listener, services);
    }

    /** Opens a client listener. */
    void startClient(Listener listener, List<BindableService> services) {
        start(listener, services);
    }

    private Server start(Listener listener, List<BindableService> services) {
        InetSocketAddress address = listener.host().isEmpty() ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
                .maxInboundMessageSize(maxInboundMessageBytes)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        if (interceptor != null) {
            builder.intercept(interceptor);
        }
        services.forEach(builder::addService);
        Server server;
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + listener.name() + "://" + listener.host() + ":"
                    + listener.port() + ": " + e.getMessage(), e);
        }
        servers.add(server);
        return server;
    }

    /** The port the first client listener is bound to (the controller listener's on a controller-only node). */
    int boundPort() {
        return servers.stream().filter(s -> s != controllerServer).findFirst().orElse(servers.get(0)).getPort();
    }

    List<String> boundAddresses() {
        return servers.stream().map(s -> s.getListenSockets().toString()).toList();
    }

    /** Stops taking new calls; calls in flight go on. */
    void shutdown() {
        servers.forEach(Server::shutdown);
    }

    /** Waits for in-flight calls up to {@code timeoutMs}, then cancels the rest and waits briefly again. */
    void awaitTermination(long timeoutMs) {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
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
