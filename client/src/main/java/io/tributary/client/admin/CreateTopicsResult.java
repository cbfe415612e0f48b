package io.tributary.client.admin;

import io.tributary.client.admin.internal.Futures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#createTopics}: one future per requested topic. A topic's future fails
 * with the exception for the broker's per-topic error (for example
 * {@link io.tributary.common.errors.TopicExistsException},
 * {@link io.tributary.common.errors.InvalidPartitionsException}) carrying the broker's message, or,
 * when the whole call failed, with that call's exception (a
 * {@link io.tributary.common.errors.TimeoutException} when no broker answered in time).
 * Futures complete on a gRPC or admin thread; do not block those threads in dependent stages.
 */
public final class CreateTopicsResult {

    /**
     * What the broker reported for a created (or, with validateOnly, validated) topic.
     *
     * @param topicId           the new topic's id; all zeros with validateOnly, where nothing is created
     * @param numPartitions     the partition count the topic has (or would have)
     * @param replicationFactor the replication factor the topic has (or would have)
     */
    public record TopicMetadataAndConfig(UUID topicId, int numPartitions, int replicationFactor) {
    }

    private final Map<String, CompletableFuture<TopicMetadataAndConfig>> futures;
    private final Map<String, CompletableFuture<Void>> values;

    CreateTopicsResult(Map<String, CompletableFuture<TopicMetadataAndConfig>> futures) {
        this.futures = Collections.unmodifiableMap(new LinkedHashMap<>(futures));
        Map<String, CompletableFuture<Void>> voids = new LinkedHashMap<>();
        futures.forEach((name, future) -> voids.put(name, Futures.withoutValue(future)));
        this.values = Collections.unmodifiableMap(voids);
    }

    /** A future per requested topic name that succeeds once the topic is created. */
    public Map<String, CompletableFuture<Void>> values() {
        return values;
    }

    /** Succeeds when every topic was created; fails with one of the failures otherwise. */
    public CompletableFuture<Void> all() {
        return Futures.allOf(values.values());
    }

    /** The new topic's id. @throws IllegalArgumentException for a topic not in the request */
    public CompletableFuture<UUID> topicId(String topic) {
        return future(topic).thenApply(TopicMetadataAndConfig::topicId);
    }

    /** The topic's partition count. @throws IllegalArgumentException for a topic not in the request */
    public CompletableFuture<Integer> numPartitions(String topic) {
        return future(topic).thenApply(TopicMetadataAndConfig::numPartitions);
    }

    /** The topic's replication factor. @throws IllegalArgumentException for a topic not in the request */
    public CompletableFuture<Integer> replicationFactor(String topic) {
        return future(topic).thenApply(TopicMetadataAndConfig::replicationFactor);
    }

    private CompletableFuture<TopicMetadataAndConfig> future(String topic) {
        CompletableFuture<TopicMetadataAndConfig> future = futures.get(topic);
        if (future == null) {
            throw new IllegalArgumentException("topic '" + topic + "' was not part of the request");
        }
        return future;
    }
}
