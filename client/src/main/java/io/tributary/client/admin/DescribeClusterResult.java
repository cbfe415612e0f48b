package io.tributary.client.admin;

import io.tributary.client.Node;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#describeCluster}. All three futures complete together from one
 * broker's answer, or fail with the call's exception.
 */
public final class DescribeClusterResult {

    private final CompletableFuture<Collection<Node>> nodes;
    private final CompletableFuture<Node> controller;
    private final CompletableFuture<String> clusterId;

    DescribeClusterResult(CompletableFuture<Collection<Node>> nodes, CompletableFuture<Node> controller,
                          CompletableFuture<String> clusterId) {
        this.nodes = nodes;
        this.controller = controller;
        this.clusterId = clusterId;
    }

    /** The live brokers, sorted by node id. */
    public CompletableFuture<Collection<Node>> nodes() {
        return nodes;
    }

    /**
     * The active controller: the broker's {@link Node} when the controller is also a live broker,
     * otherwise a Node with only its id (empty host, port -1); null when no controller is known.
     */
    public CompletableFuture<Node> controller() {
        return controller;
    }

    /** The cluster id. */
    public CompletableFuture<String> clusterId() {
        return clusterId;
    }
}
