package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#describeConsumerGroups}: one future per requested group, failing with
 * {@link io.tributary.common.errors.GroupIdNotFoundException} for a group that does not exist, with
 * {@link io.tributary.common.errors.InvalidGroupIdException} for an invalid id, or with a
 * {@link io.tributary.common.errors.TimeoutException} when the group's coordinator could not be
 * reached in time. Futures complete on a gRPC or admin thread; do not block those threads in
 * dependent stages.
 */
public final class DescribeConsumerGroupsResult {

    private final Map<String, CompletableFuture<ConsumerGroupDescription>> futures;

    DescribeConsumerGroupsResult(Map<String, CompletableFuture<ConsumerGroupDescription>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** A future per requested group id. */
    public Map<String, CompletableFuture<ConsumerGroupDescription>> describedGroups() {
        return futures;
    }

    /** Every description by group id; fails with one of the failures when any group failed. */
    public CompletableFuture<Map<String, ConsumerGroupDescription>> all() {
        return Futures.allValues(futures);
    }
}
