package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import io.tributary.common.TopicPartition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#deleteRecords}: one future per requested partition. A partition fails
 * with the exception for its error: {@link io.tributary.common.errors.OffsetOutOfRangeException}
 * (the offset is above the high watermark), {@link io.tributary.common.errors.PolicyViolationException}
 * (a compacted topic), or a {@link io.tributary.common.errors.TimeoutException} naming the last error
 * when it could not be settled in time (no leader, unknown topic or partition, unreachable leader,
 * in-sync replicas that did not confirm the new log start offset). Futures complete on a gRPC or
 * admin thread; do not block those threads in dependent stages.
 */
public final class DeleteRecordsResult {

    private final Map<TopicPartition, CompletableFuture<DeletedRecords>> futures;

    DeleteRecordsResult(Map<TopicPartition, CompletableFuture<DeletedRecords>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** A future per requested partition with its new low watermark (log start offset). */
    public Map<TopicPartition, CompletableFuture<DeletedRecords>> lowWatermarks() {
        return futures;
    }

    /** Succeeds when every partition's records were deleted; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(futures.values());
    }
}
