package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds {@link DelayedOperation}s keyed by the partitions whose events can satisfy them. Waiting is
 * event driven: {@link #checkAndComplete} is called when a partition's high watermark moves (or it
 * fails or disappears), and a single timer thread fires deadlines. Nothing polls.
 *
 * <p>Completion work (reading logs, building responses) runs on a separate executor so the thread
 * that raised the event (an appender or the flusher) is not held up. Thread-safe.
 */
public final class DelayedOperationPurgatory implements AutoCloseable {

    private final ConcurrentHashMap<TopicPartition, Set<DelayedOperation>> watchers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService completer;

    public DelayedOperationPurgatory(String name) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
        this.completer = Executors.newFixedThreadPool(2, r -> daemon(r, name + "-completer"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Completes {@code operation} at once if it is satisfied; otherwise watches it under {@code keys}
     * until it is satisfied or {@code timeoutMs} passes.
     */
    public void tryCompleteElseWatch(DelayedOperation operation, Collection<TopicPartition> keys, long timeoutMs) {
        if (operation.isSatisfied()) {
            completeAsync(operation, false);
            return;
        }
        for (TopicPartition key : keys) {
            watchers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(operation);
        }
        operation.setExpiry(timer.schedule(() -> {
            completeAsync(operation, true);
            unwatch(operation, keys);
        }, timeoutMs, TimeUnit.MILLISECONDS));
        // An event may have fired between the first check and the registration above.
        if (operation.isSatisfied()) {
            completeAsync(operation, false);
        }
    }

    /** Re-checks the operations waiting on {@code key}; call after any event on that partition. */
    public void checkAndComplete(TopicPartition key) {
        Set<DelayedOperation> waiting = watchers.get(key);
        if (waiting == null) {
            return;
        }
        for (DelayedOperation operation : waiting) {
            if (operation.isCompleted()) {
                waiting.remove(operation);
            } else if (operation.isSatisfied()) {
                waiting.remove(operation);
                completeAsync(operation, false);
            }
        }
        watchers.computeIfPresent(key, (k, set) -> set.isEmpty() ? null : set);
    }

    private void unwatch(DelayedOperation operation, Collection<TopicPartition> keys) {
        for (TopicPartition key : keys) {
            watchers.computeIfPresent(key, (k, set) -> {
                set.remove(operation);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Operations currently watched (each counted once per key); for tests and metrics. */
    public int watched() {
        return watchers.values().stream().mapToInt(Set::size).sum();
    }

    private void completeAsync(DelayedOperation operation, boolean expired) {
        if (operation.isCompleted()) {
            return;
        }
        try {
            completer.execute(() -> operation.complete(expired));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            operation.complete(expired);
        }
    }

    /** Expires every waiting operation now (shutdown), then stops the threads. */
    @Override
    public void close() {
        for (Set<DelayedOperation> waiting : watchers.values()) {
            for (DelayedOperation operation : waiting) {
                operation.complete(true);
            }
        }
        watchers.clear();
        timer.shutdownNow();
        completer.shutdown();
        try {
            completer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
