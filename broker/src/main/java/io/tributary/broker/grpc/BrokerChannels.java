package io.tributary.broker.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.common.errors.BrokerNotAvailableException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per other broker, at the address the metadata gives it (a new channel when it
 * changes), shared by everything this broker asks its peers (replication streams, the group lag
 * metrics' ListOffsets), so two brokers hold one connection between them, not one per use.
 *
 * <p>Ownership: the one that creates it closes it ({@link io.tributary.broker.server.BrokerServer}
 * hands it to {@link GrpcReplicaLinks}, which closes it); the other users only borrow it and never
 * close it. Thread-safe.
 */
public final class BrokerChannels implements AutoCloseable {

    private record Channel(InetSocketAddress address, ManagedChannel channel) {
    }

    private final int maxInboundBytes;
    private final Map<Integer, Channel> channels = new HashMap<>();
    private boolean closed;

    /** @param maxInboundBytes the largest answer accepted (the largest any user expects) */
    public BrokerChannels(int maxInboundBytes) {
        this.maxInboundBytes = maxInboundBytes;
    }

    /**
     * The channel to {@code brokerId} at {@code address}: the existing one while the address is
     * the same, else a new one (the old one is shut down).
     *
     * @throws BrokerNotAvailableException once closed
     */
    public synchronized ManagedChannel channelTo(int brokerId, InetSocketAddress address) {
        if (closed) {
            throw new BrokerNotAvailableException("the node is shutting down");
        }
        Channel existing = channels.get(brokerId);
        if (existing != null && existing.address().equals(address)) {
            return existing.channel();
        }
        if (existing != null) {
            existing.channel().shutdown();
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress(address.getHostString(), address.getPort())
                .usePlaintext().maxInboundMessageSize(maxInboundBytes).build();
        channels.put(brokerId, new Channel(address, channel));
        return channel;
    }

    /** Shuts down the channels of brokers not in {@code brokerIds} (decommissioned or replaced). */
    public synchronized void closeNotIn(Set<Integer> brokerIds) {
        channels.entrySet().removeIf(entry -> {
            if (brokerIds.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().channel().shutdown();
            return true;
        });
    }

    /** The brokers this holds a channel to. */
    public synchronized Set<Integer> brokerIds() {
        return Set.copyOf(channels.keySet());
    }

    /** Shuts every channel down now and waits (up to 5 s each) for them to terminate. */
    @Override
    public void close() {
        Map<Integer, Channel> closing;
        synchronized (this) {
            closed = true;
            closing = Map.copyOf(channels);
            channels.clear();
        }
        for (Channel channel : closing.values()) {
            channel.channel().shutdownNow();
        }
        for (Channel channel : closing.values()) {
            try {
                channel.channel().awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
