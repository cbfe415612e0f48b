package io.tributary.client.admin;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The outcome of {@link Admin#listTopics}. All three futures complete together, with unmodifiable
 * collections sorted by name, or fail with the call's exception.
 */
public final class ListTopicsResult {

    private final CompletableFuture<Map<String, TopicListing>> byName;

    ListTopicsResult(CompletableFuture<Map<String, TopicListing>> byName) {
        this.byName = byName;
    }

    /** The listings by topic name. */
    public CompletableFuture<Map<String, TopicListing>> namesToListings() {
        return byName;
    }

    /** The listings. */
    public CompletableFuture<Collection<TopicListing>> listings() {
        return byName.thenApply(Map::values);
    }

    /** The topic names. */
    public CompletableFuture<Set<String>> names() {
        return byName.thenApply(Map::keySet);
    }
}
