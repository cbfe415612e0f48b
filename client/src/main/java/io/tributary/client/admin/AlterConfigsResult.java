package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#incrementalAlterConfigs}: one future per resource, failing with the
 * exception for the controller's per-resource error (for example
 * {@link io.tributary.common.errors.InvalidConfigurationException} for an unknown key or a bad value,
 * {@link io.tributary.common.errors.InvalidRequestException} for a read-only broker key) or with the
 * whole call's failure. Futures complete on a gRPC or admin thread; do not block those threads in
 * dependent stages.
 */
public final class AlterConfigsResult {

    private final Map<ConfigResource, CompletableFuture<Void>> futures;

    AlterConfigsResult(Map<ConfigResource, CompletableFuture<Void>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** A future per resource that succeeds once its changes are recorded. */
    public Map<ConfigResource, CompletableFuture<Void>> values() {
        return futures;
    }

    /** Succeeds when every resource changed; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(futures.values());
    }
}
