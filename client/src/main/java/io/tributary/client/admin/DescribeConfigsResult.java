package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#describeConfigs}: one future per requested resource, failing with the
 * exception for the broker's per-resource error (for example
 * {@link io.tributary.common.errors.UnknownTopicOrPartitionException} or
 * {@link io.tributary.common.errors.BrokerIdNotRegisteredException}) or with the whole call's
 * failure. Futures complete on a gRPC or admin thread; do not block those threads in dependent stages.
 */
public final class DescribeConfigsResult {

    private final Map<ConfigResource, CompletableFuture<Config>> futures;

    DescribeConfigsResult(Map<ConfigResource, CompletableFuture<Config>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** A future per requested resource. */
    public Map<ConfigResource, CompletableFuture<Config>> values() {
        return futures;
    }

    /** Every resource's configs once all succeeded; fails with one of the failures otherwise. */
    public CompletableFuture<Map<ConfigResource, Config>> all() {
        return Futures.allOf(futures.values()).thenApply(ignored -> {
            Map<ConfigResource, Config> all = new LinkedHashMap<>();
            futures.forEach((resource, future) -> all.put(resource, future.join()));
            return all;
        });
    }
}
