package io.tributary.client.internal;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per broker address, created on first use and reused by every request of the
 * client (gRPC multiplexes calls over the channel's HTTP/2 connection). Thread-safe.
 */
public final class Channels implements AutoCloseable {

    /** Fetch responses can carry up to fetch.max.bytes of records plus framing. */
    private static final int MAX_INBOUND_MESSAGE_BYTES = 256 << 20;

    private final String userAgent;
    private final Map<String, ManagedChannel> byAddress = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Channels(String clientId) {
        this.userAgent = "tributary-java/" + (clientId.isEmpty() ? "client" : clientId);
    }

    /** The channel to {@code host:port}. */
    public ManagedChannel forAddress(String host, int port) {
        if (closed) {
            throw new IllegalStateException("the client is closed");
        }
        return byAddress.computeIfAbsent(host + ":" + port, ignored -> NettyChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .userAgent(userAgent)
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                .build());
    }

    /**
     * Makes every channel that is waiting to reconnect try again now rather than after gRPC's
     * exponential reconnect backoff (up to two minutes), called when the client itself decides to retry.
     */
    public void resetConnectBackoff() {
        byAddress.values().forEach(ManagedChannel::resetConnectBackoff);
    }

    /** Shuts every channel down, waiting up to {@code timeoutMs} in total for calls to end. */
    @Override
    public void close() {
        close(5_000);
    }

    public void close(long timeoutMs) {
        closed = true;
        List<ManagedChannel> channels = new ArrayList<>(byAddress.values());
        byAddress.clear();
        channels.forEach(ManagedChannel::shutdown);
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            for (ManagedChannel channel : channels) {
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0 || !channel.awaitTermination(leftNs, TimeUnit.NANOSECONDS)) {
                    channel.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            channels.forEach(ManagedChannel::shutdownNow);
            Thread.currentThread().interrupt();
        }
    }
}
