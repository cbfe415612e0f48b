package io.tributary.client.admin;

import io.tributary.client.Node;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#describeCluster}. All futures complete together from one broker's
 * answer, or fail with the call's exception.
 */
public final class DescribeClusterResult {

    private final CompletableFuture<Collection<Node>> nodes;
    private final CompletableFuture<Node> controller;
    private final CompletableFuture<String> clusterId;
    private final CompletableFuture<Collection<Node>> controllers;
    private final CompletableFuture<Collection<BrokerRegistration>> brokerRegistrations;

    DescribeClusterResult(CompletableFuture<Collection<Node>> nodes, CompletableFuture<Node> controller,
                          CompletableFuture<String> clusterId, CompletableFuture<Collection<Node>> controllers,
                          CompletableFuture<Collection<BrokerRegistration>> brokerRegistrations) {
        this.nodes = nodes;
        this.controller = controller;
        this.clusterId = clusterId;
        this.controllers = controllers;
        this.brokerRegistrations = brokerRegistrations;
    }

    /**
     * The registered brokers, sorted by node id: the unfenced ones, and with
     * {@link DescribeClusterOptions#includeFencedBrokers(boolean)} the fenced ones too
     * ({@link Node#isFenced()}).
     */
    public CompletableFuture<Collection<Node>> nodes() {
        return nodes;
    }

    /**
     * The active controller: the broker's {@link Node} when the controller is also a listed broker,
     * otherwise a Node with only its id (empty host, port -1); null when no controller is known.
     */
    public CompletableFuture<Node> controller() {
        return controller;
    }

    /** The cluster id. */
    public CompletableFuture<String> clusterId() {
        return clusterId;
    }

    /**
     * The controllers (the metadata quorum's voters), sorted by node id, with their controller
     * listener's host and port (empty host and port -1 when the answering broker does not know it).
     * Not in Kafka's result: Tributary's clients reach controllers only through brokers.
     */
    public CompletableFuture<Collection<Node>> controllers() {
        return controllers;
    }

    /**
     * The same brokers as {@link #nodes()}, with their controlled-shutdown flag and broker epoch. Not
     * in Kafka's result.
     */
    public CompletableFuture<Collection<BrokerRegistration>> brokerRegistrations() {
        return brokerRegistrations;
    }
}
