package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#deleteTopics}: one future per requested topic, failing with the
 * exception for the broker's per-topic error (for example
 * {@link io.tributary.common.errors.UnknownTopicOrPartitionException}) or with the whole call's
 * failure. Futures complete on a gRPC or admin thread; do not block those threads in dependent stages.
 */
public final class DeleteTopicsResult {

    private final Map<String, CompletableFuture<Void>> futures;

    DeleteTopicsResult(Map<String, CompletableFuture<Void>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** A future per requested topic name that succeeds once the topic is deleted. */
    public Map<String, CompletableFuture<Void>> values() {
        return futures;
    }

    /** Kafka's name for {@link #values()}. */
    public Map<String, CompletableFuture<Void>> topicNameValues() {
        return futures;
    }

    /** Succeeds when every topic was deleted; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(futures.values());
    }
}
