package io.tributary.client.admin;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ElectionNotNeededException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#electLeaders}, as Kafka's: per partition, empty when a new leader was
 * elected, else the reason ({@link ElectionNotNeededException} when the partition already had that
 * leader). Futures complete on a gRPC or admin thread; do not block those threads in dependent stages.
 */
public final class ElectLeadersResult {

    private final CompletableFuture<Map<TopicPartition, Optional<Throwable>>> partitions;

    ElectLeadersResult(CompletableFuture<Map<TopicPartition, Optional<Throwable>>> partitions) {
        this.partitions = partitions;
    }

    /** Each partition's outcome; fails only when the call itself failed. */
    public CompletableFuture<Map<TopicPartition, Optional<Throwable>>> partitions() {
        return partitions;
    }

    /**
     * Succeeds when every partition got its leader or needed no election; fails with the first other
     * partition failure.
     */
    public CompletableFuture<Void> all() {
        return partitions.thenApply(outcomes -> {
            for (Optional<Throwable> outcome : outcomes.values()) {
                if (outcome.isPresent() && !(outcome.get() instanceof ElectionNotNeededException)) {
                    throw new java.util.concurrent.CompletionException(outcome.get());
                }
            }
            return null;
        });
    }
}
