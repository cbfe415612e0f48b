package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import io.tributary.common.TopicPartition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The shape of results with one value-less future per requested partition. */
abstract class PartitionResults {

    private final Map<TopicPartition, CompletableFuture<Void>> futures;

    PartitionResults(Map<TopicPartition, CompletableFuture<Void>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** The future of one partition. @throws IllegalArgumentException for a partition not requested */
    public CompletableFuture<Void> partitionResult(TopicPartition partition) {
        return Futures.requested(futures, partition, "partition " + partition);
    }

    /** Succeeds when every partition succeeded; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(futures.values());
    }
}
