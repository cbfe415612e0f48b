package io.tributary.client.admin.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Combinators over the per-key futures of admin results. */
public final class Futures {

    private Futures() {
    }

    /**
     * Completes once every future has: with a map of all values (in the given map's order), or
     * exceptionally with the failure of one of those that failed.
     */
    public static <K, V> CompletableFuture<Map<K, V>> allValues(Map<K, ? extends CompletableFuture<V>> futures) {
        return allOf(futures.values()).thenApply(ignored -> {
            Map<K, V> values = new LinkedHashMap<>();
            futures.forEach((key, future) -> values.put(key, future.join()));
            return Collections.unmodifiableMap(values);
        });
    }

    /** Completes once every future has; exceptionally when any failed. */
    public static CompletableFuture<Void> allOf(Collection<? extends CompletableFuture<?>> futures) {
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * The future of one requested key.
     *
     * @param what names the key in the exception, e.g. "partition t-0"
     * @throws IllegalArgumentException when {@code key} was not part of the request
     */
    public static <K, V> CompletableFuture<V> requested(Map<K, CompletableFuture<V>> futures, K key, String what) {
        CompletableFuture<V> future = futures.get(key);
        if (future == null) {
            throw new IllegalArgumentException(what + " was not part of the request");
        }
        return future;
    }

    /** A future that completes like {@code future} but without its value. */
    public static CompletableFuture<Void> withoutValue(CompletableFuture<?> future) {
        return future.thenApply(ignored -> null);
    }
}
