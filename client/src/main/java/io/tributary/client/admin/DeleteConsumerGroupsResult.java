package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#deleteConsumerGroups}: one future per requested group, failing with
 * {@link io.tributary.common.errors.GroupNotEmptyException} for a group that still has members,
 * {@link io.tributary.common.errors.GroupIdNotFoundException} for one that does not exist, or the
 * whole call's failure. Futures complete on a gRPC or admin thread; do not block those threads in
 * dependent stages.
 */
public final class DeleteConsumerGroupsResult {

    private final Map<String, CompletableFuture<Void>> futures;

    DeleteConsumerGroupsResult(Map<String, CompletableFuture<Void>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** A future per requested group id that succeeds once the group and its offsets are deleted. */
    public Map<String, CompletableFuture<Void>> deletedGroups() {
        return futures;
    }

    /** Succeeds when every group was deleted; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(futures.values());
    }
}
