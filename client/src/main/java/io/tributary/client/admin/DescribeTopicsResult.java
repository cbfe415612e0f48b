package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#describeTopics}: one future per requested topic, failing with
 * {@link io.tributary.common.errors.UnknownTopicOrPartitionException} for a topic that does not exist
 * or with the whole call's failure. Futures complete on a gRPC or admin thread; do not block those
 * threads in dependent stages.
 */
public final class DescribeTopicsResult {

    private final Map<String, CompletableFuture<TopicDescription>> futures;

    DescribeTopicsResult(Map<String, CompletableFuture<TopicDescription>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
    }

    /** A future per requested topic name. */
    public Map<String, CompletableFuture<TopicDescription>> topicNameValues() {
        return futures;
    }

    /** Every description by name; fails with one of the failures when any topic failed. */
    public CompletableFuture<Map<String, TopicDescription>> allTopicNames() {
        return Futures.allValues(futures);
    }
}
