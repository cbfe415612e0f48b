package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#createPartitions}: one future per requested topic, failing with the
 * exception for the broker's per-topic error (for example
 * {@link io.tributary.common.errors.InvalidPartitionsException} when the count does not grow, or
 * {@link io.tributary.common.errors.UnknownTopicOrPartitionException}) or with the whole call's
 * failure. Futures complete on a gRPC or admin thread; do not block those threads in dependent stages.
 */
public final class CreatePartitionsResult {

    private final Map<String, CompletableFuture<Void>> futures;

    CreatePartitionsResult(Map<String, CompletableFuture<Void>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** A future per requested topic name that succeeds once its partitions were added. */
    public Map<String, CompletableFuture<Void>> values() {
        return futures;
    }

    /** Succeeds when every topic grew; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(futures.values());
    }
}
