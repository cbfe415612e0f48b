package io.tributary.client.internal;

import io.tributary.client.Node;
import io.tributary.common.Time;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's view of the cluster: which brokers exist and which broker leads each partition of
 * the topics the client uses. Refreshed on demand ({@link #requestUpdate()} after NOT_LEADER /
 * UNKNOWN_TOPIC errors and failed connections) and when older than {@code metadata.max.age.ms}.
 *
 * <p>Thread-safety: the snapshot is published through a volatile field; refreshes are serialised
 * on this object, so concurrent callers share one RPC rather than each sending their own.
 */
public final class ClientMetadata {

    private static final Logger log = LoggerFactory.getLogger(ClientMetadata.class);

    private final List<HostPort> bootstrap;
    private final Channels channels;
    private final Time time;
    private final long maxAgeMs;
    private final long requestTimeoutMs;
    /** Copy-on-write, so the per-send check that a topic is tracked takes no lock. */
    private volatile Set<String> topics = Set.of();
    private volatile ClusterView view = ClusterView.EMPTY;
    private volatile boolean updateRequested = true;
    private int nextBootstrap;

    /** A {@code host:port} pair from {@code bootstrap.servers}. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public ClientMetadata(List<String> bootstrapServers, Channels channels, Time time, long maxAgeMs,
                          long requestTimeoutMs) {
        this.bootstrap = parseBootstrap(bootstrapServers);
        this.channels = channels;
        this.time = time;
        this.maxAgeMs = maxAgeMs;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Parses {@code bootstrap.servers}.
     *
     * @throws InvalidConfigurationException naming the key and the entry that is not {@code host:port}
     */
    public static List<HostPort> parseBootstrap(List<String> servers) {
        List<HostPort> parsed = new ArrayList<>();
        for (String server : servers) {
            int colon = server.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(server.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1 || port > 65535) {
                throw new InvalidConfigurationException("invalid value '" + server
                        + "' in configuration key 'bootstrap.servers': expected host:port with a port in 1..65535");
            }
            String host = server.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            parsed.add(new HostPort(host, port));
        }
        return List.copyOf(parsed);
    }

    /** The latest snapshot (possibly empty or stale; never null). */
    public ClusterView view() {
        return view;
    }

    /** Adds topics whose partitions later refreshes should describe; asks for a refresh if any is new. */
    public void addTopics(Collection<String> names) {
        if (topics.containsAll(names)) {
            return;
        }
        synchronized (this) {
            Set<String> grown = new LinkedHashSet<>(topics);
            if (grown.addAll(names)) {
                topics = Set.copyOf(grown);
                updateRequested = true;
            }
        }
    }

    /** {@link #addTopics} for one topic, without allocating on the common already-tracked path. */
    public void addTopic(String name) {
        if (!topics.contains(name)) {
            addTopics(List.of(name));
        }
    }

    /** Marks the snapshot stale: the next {@link #maybeRefresh} refreshes it. */
    public void requestUpdate() {
        updateRequested = true;
    }

    /** Whether a refresh is due: one was requested, or the snapshot is older than metadata.max.age.ms. */
    public boolean updateDue() {
        return updateRequested || time.milliseconds() - view.updatedMs() >= maxAgeMs;
    }

    /** Refreshes if {@link #updateDue()}; failures are logged and leave the old snapshot. */
    public ClusterView maybeRefresh() {
        if (updateDue()) {
            try {
                return refresh();
            } catch (TributaryException e) {
                log.debug("Metadata refresh failed: {}", e.getMessage());
            }
        }
        return view;
    }

    /**
     * Fetches fresh metadata for the tracked topics from a known broker, else from the bootstrap
     * servers, trying each once.
     *
     * @throws TributaryException from the last broker tried when none answered
     */
    public synchronized ClusterView refresh() {
        List<HostPort> candidates = candidates();
        MetadataRequest request = MetadataRequest.newBuilder().addAllTopics(topics).build();
        TributaryException last = null;
        for (HostPort target : candidates) {
            try {
                MetadataResponse response = ClusterServiceGrpc.newBlockingStub(channels.forAddress(target.host(),
                        target.port())).withDeadlineAfter(requestTimeoutMs, TimeUnit.MILLISECONDS).metadata(request);
                ClusterView fresh = ClusterView.from(response, time.milliseconds());
                view = fresh;
                updateRequested = false;
                return fresh;
            } catch (RuntimeException e) {
                last = GrpcErrors.fromThrowable(e, target.toString());
            }
        }
        channels.resetConnectBackoff();
        throw last;
    }

    /** Known brokers first (rotating), then the bootstrap servers (rotating), without duplicates. */
    private List<HostPort> candidates() {
        Set<HostPort> ordered = new LinkedHashSet<>();
        List<Node> nodes = new ArrayList<>(view.brokers().values());
        int start = nextBootstrap++;
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(Math.floorMod(start + i, nodes.size()));
            ordered.add(new HostPort(node.host(), node.port()));
        }
        for (int i = 0; i < bootstrap.size(); i++) {
            ordered.add(bootstrap.get(Math.floorMod(start + i, bootstrap.size())));
        }
        return new ArrayList<>(ordered);
    }
}
