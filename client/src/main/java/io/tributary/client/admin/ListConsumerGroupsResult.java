package io.tributary.client.admin;

import io.tributary.client.admin.internal.GroupCalls.Listed;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The outcome of {@link Admin#listConsumerGroups}, which asks every broker for the groups it
 * coordinates. {@link #valid()} and {@link #errors()} fail only when the brokers could not be
 * found; {@link #all()} also fails when any broker could not answer. Collections are unmodifiable
 * and sorted by group id.
 */
public final class ListConsumerGroupsResult {

    private final CompletableFuture<Listed> listed;

    ListConsumerGroupsResult(CompletableFuture<Listed> listed) {
        this.listed = listed;
    }

    /** Every group; fails with the first broker's failure when any broker could not answer. */
    public CompletableFuture<Collection<ConsumerGroupListing>> all() {
        return listed.thenApply(result -> {
            if (!result.errors().isEmpty()) {
                throw new CompletionException(result.errors().get(0));
            }
            return result.listings();
        });
    }

    /** The groups of the brokers that answered. */
    public CompletableFuture<Collection<ConsumerGroupListing>> valid() {
        return listed.thenApply(Listed::listings);
    }

    /** Why brokers could not answer (one failure per such broker); empty when all did. */
    public CompletableFuture<Collection<Throwable>> errors() {
        return listed.thenApply(Listed::errors);
    }
}
