package io.tributary.client.consumer.internal;

import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internal.Backoff;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.errors.WakeupException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the consumer's partitions to follow the group, on the application thread: revocation
 * (auto-commit, onPartitionsRevoked, stop returning the partitions, then report them released),
 * assignment (track the topics, onPartitionsAssigned, positions from the committed offsets) and loss
 * (onPartitionsLost, drop everything, rejoin). Not thread-safe: application thread only.
 */
final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Tasks handled per poll; a group changing faster than this is followed over the next polls. */
    private static final int MAX_TASKS_PER_CALL = 4;
    private static final ConsumerRebalanceListener NO_LISTENER = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    };

    private final ConsumerGroup.Context context;
    private final MembershipState membership;
    private final GroupOffsets offsets;
    private final boolean autoCommit;
    private ConsumerRebalanceListener listener = NO_LISTENER;
    private CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> lookup;
    private Set<TopicPartition> lookupPartitions = Set.of();
    private long nextLookupMs;
    private int lookupFailures;

    Reconciler(ConsumerGroup.Context context, MembershipState membership, GroupOffsets offsets, boolean autoCommit) {
        this.context = context;
        this.membership = membership;
        this.offsets = offsets;
        this.autoCommit = autoCommit;
    }

    void setListener(ConsumerRebalanceListener listener) {
        this.listener = listener == null ? NO_LISTENER : listener;
    }

    /**
     * Does what the membership asks (see {@link MembershipState#nextTask()}).
     *
     * @throws TributaryException what a listener callback threw, once every partition has moved
     */
    void runTasks() {
        RuntimeException listenerError = null;
        MembershipState.Task task;
        for (int i = 0; i < MAX_TASKS_PER_CALL && (task = membership.nextTask()) != null; i++) {
            RuntimeException error = task instanceof MembershipState.Reconcile reconcile ? reconcile(reconcile)
                    : lose((MembershipState.Lost) task);
            listenerError = listenerError != null ? listenerError : error;
        }
        throwIfSet(listenerError);
    }

    private RuntimeException reconcile(MembershipState.Reconcile task) {
        SubscriptionState subscriptions = context.subscriptions();
        Set<TopicPartition> current = subscriptions.assignment();
        List<TopicPartition> revoked = PartitionSets.minus(current, task.target());
        List<TopicPartition> added = PartitionSets.minus(task.target(), current);
        RuntimeException error = null;
        Set<TopicPartition> next = new LinkedHashSet<>(current);
        if (!revoked.isEmpty()) {
            commitConsumedBeforeRelease(context.time().milliseconds() + context.defaultApiTimeoutMs(), true);
            log.info("Member {}: revoking {}", membership.memberId(), revoked);
            error = invoke(() -> listener.onPartitionsRevoked(revoked), "onPartitionsRevoked");
            next.removeAll(revoked);
            subscriptions.assign(next);
            release(revoked);
        }
        if (!added.isEmpty() || task.firstSinceJoin()) {
            log.info("Member {}: assigned {}", membership.memberId(), added);
            Set<String> topics = new TreeSet<>();
            added.forEach(tp -> topics.add(tp.topic()));
            context.trackTopics().accept(topics);
            next.addAll(added);
            subscriptions.assign(next);
            added.forEach(subscriptions::awaitCommitted);
            RuntimeException assignError = invoke(() -> listener.onPartitionsAssigned(added), "onPartitionsAssigned");
            error = error != null ? error : assignError;
        }
        membership.completeReconciliation(task.incarnation(), subscriptions.assignment(),
                context.time().milliseconds());
        return error;
    }

    private RuntimeException lose(MembershipState.Lost task) {
        Set<TopicPartition> lost = context.subscriptions().assignment();
        RuntimeException error = null;
        if (!lost.isEmpty()) {
            List<TopicPartition> sorted = lost.stream().sorted(PartitionSets.ORDER).toList();
            log.info("Member {}: lost {}", membership.memberId(), sorted);
            error = invoke(() -> listener.onPartitionsLost(sorted), "onPartitionsLost");
            context.subscriptions().assign(List.of());
            release(sorted);
        }
        membership.completeLost(task.incarnation(), context.time().milliseconds());
        return error;
    }

    /**
     * Gives up every partition before leaving: onPartitionsLost when the member already lost them,
     * else auto-commit and onPartitionsRevoked.
     *
     * @throws TributaryException what a listener callback threw, once the partitions are given up
     */
    void releaseAll(long deadlineMs) {
        MembershipState.Task task = membership.nextTask();
        if (task instanceof MembershipState.Lost lost) {
            throwIfSet(lose(lost));
            return;
        }
        List<TopicPartition> owned = context.subscriptions().assignment().stream().sorted(PartitionSets.ORDER).toList();
        if (owned.isEmpty()) {
            return;
        }
        commitConsumedBeforeRelease(deadlineMs, false);
        RuntimeException error = invoke(() -> listener.onPartitionsRevoked(owned), "onPartitionsRevoked");
        context.subscriptions().assign(List.of());
        release(owned);
        throwIfSet(error);
    }

    private void release(Collection<TopicPartition> partitions) {
        partitions.forEach(context.dropBuffered());
        if (lookup != null && partitions.stream().anyMatch(lookupPartitions::contains)) {
            // Its answer may predate the next owner's commits when a partition comes back: ask again then.
            lookup = null;
        }
    }

    /**
     * With enable.auto.commit, commits the consumed positions synchronously; a failure is logged.
     *
     * @param interruptible true inside poll(): a wake-up aborts the commit (and so the rebalance step,
     *                      redone at the next poll) with WakeupException; false when leaving, which a
     *                      wake-up does not cut short (it stays pending)
     */
    void commitConsumedBeforeRelease(long deadlineMs, boolean interruptible) {
        Map<TopicPartition, OffsetAndMetadata> consumed = consumedOffsets();
        if (!autoCommit || consumed.isEmpty()) {
            return;
        }
        CompletableFuture<Void> commit = offsets.commit(consumed, deadlineMs);
        long nowMs = context.time().milliseconds();
        try {
            if (interruptible) {
                context.wakeups().await(commit, nowMs, deadlineMs, "committing offsets");
            } else {
                context.wakeups().awaitKeepingWakeup(commit, nowMs, deadlineMs, "committing offsets");
            }
        } catch (WakeupException e) {
            throw e;
        } catch (TributaryException e) {
            log.warn("Could not commit offsets {} before giving up the partitions: {}", consumed, e.getMessage());
        }
    }

    Map<TopicPartition, OffsetAndMetadata> consumedOffsets() {
        Map<TopicPartition, OffsetAndMetadata> consumed = new LinkedHashMap<>();
        context.subscriptions().consumedPositions().forEach((tp, position) ->
                consumed.put(tp, new OffsetAndMetadata(position.offset(), position.epoch(), "")));
        return consumed;
    }

    /** Without blocking: applies a completed committed-offset lookup and starts the next one when due. */
    void advanceCommittedLookup(long nowMs) {
        if (lookup != null && lookup.isDone()) {
            applyLookup(false, nowMs);
        }
        if (lookup == null && nowMs >= nextLookupMs) {
            startLookup(nowMs + context.requestTimeoutMs());
        }
    }

    /**
     * Blocks until every partition waiting for its committed offset has its position.
     *
     * @throws TributaryException the lookup's failure, or a timeout at {@code deadlineMs}
     */
    void awaitCommittedPositions(long deadlineMs) {
        while (!context.subscriptions().partitionsAwaitingCommitted().isEmpty()) {
            if (lookup == null) {
                startLookup(deadlineMs);
            }
            context.wakeups().await(lookup, context.time().milliseconds(), deadlineMs, "fetching committed offsets");
            applyLookup(true, context.time().milliseconds());
        }
    }

    private void startLookup(long deadlineMs) {
        List<TopicPartition> awaiting = context.subscriptions().partitionsAwaitingCommitted();
        if (awaiting.isEmpty()) {
            return;
        }
        lookupPartitions = Set.copyOf(awaiting);
        lookup = offsets.fetch(lookupPartitions, deadlineMs);
        lookup.whenComplete((ignored, error) -> context.nudge().run());
    }

    private void applyLookup(boolean strict, long nowMs) {
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> done = lookup;
        lookup = null;
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = done.join();
        } catch (CompletionException e) {
            TributaryException error = asTributary(e.getCause());
            if (strict) {
                throw error;
            }
            nextLookupMs = nowMs + Backoff.exponentialMs(context.retryBackoffMs(), context.retryBackoffMaxMs(),
                    lookupFailures++);
            log.warn("Could not fetch the committed offsets of {}; retrying: {}", lookupPartitions, error.getMessage());
            return;
        }
        lookupFailures = 0;
        for (TopicPartition tp : lookupPartitions) {
            OffsetAndMetadata offset = committed.get(tp);
            context.subscriptions().completeCommittedLookup(tp, offset == null ? null
                    : new SubscriptionState.OffsetAndEpoch(offset.offset(), offset.leaderEpoch()));
        }
    }

    private static RuntimeException invoke(Runnable callback, String name) {
        try {
            callback.run();
            return null;
        } catch (RuntimeException e) {
            log.error("The rebalance listener's {} failed", name, e);
            return e instanceof TributaryException ? e
                    : new TributaryException("the rebalance listener's " + name + " failed: " + e, e);
        }
    }

    private static TributaryException asTributary(Throwable error) {
        return error instanceof TributaryException known ? known
                : new TributaryException("fetching committed offsets failed: " + error, error);
    }

    private static void throwIfSet(RuntimeException error) {
        if (error != null) {
            throw error;
        }
    }
}
