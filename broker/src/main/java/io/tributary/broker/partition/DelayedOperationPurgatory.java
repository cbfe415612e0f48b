package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Holds {@link DelayedOperation}s keyed by the partitions whose events can satisfy them. Waiting is
 * event driven: {@link #checkAndComplete} is called when a partition's high watermark moves (or it
 * fails or disappears), and a single timer thread fires deadlines. Nothing polls.
 *
 * <p>Checks and completions (which read logs and build responses) run on the purgatory's own
 * threads, so the thread that raised the event (an appender, the flusher) is never held up; checks
 * for one partition are coalesced while one is pending. A completed operation is removed from every
 * key it was watched under. Thread-safe.
 */
public final class DelayedOperationPurgatory implements AutoCloseable {

    private final ConcurrentHashMap<TopicPartition, Set<DelayedOperation>> watchers = new ConcurrentHashMap<>();
    private final Set<TopicPartition> pendingChecks = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService completer;
    private volatile boolean closed;

    public DelayedOperationPurgatory(String name) {
        this.timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.completer = Executors.newFixedThreadPool(2, r -> daemon(r, name + "-completer"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Completes {@code operation} at once if it is satisfied (or the purgatory is closed); otherwise
     * watches it under {@code keys} until it is satisfied or {@code timeoutMs} passes.
     */
    public void tryCompleteElseWatch(DelayedOperation operation, Collection<TopicPartition> keys, long timeoutMs) {
        if (closed) {
            operation.complete(true);
            return;
        }
        if (operation.isSatisfied()) {
            completeAsync(operation, false);
            return;
        }
        operation.setWatchedKeys(List.copyOf(keys));
        for (TopicPartition key : keys) {
            // Add inside compute so a concurrent removal of an emptied set cannot drop this operation.
            watchers.compute(key, (k, set) -> {
                Set<DelayedOperation> target = set == null ? ConcurrentHashMap.newKeySet() : set;
                target.add(operation);
                return target;
            });
        }
        try {
            operation.setExpiry(timer.schedule(() -> completeAsync(operation, true), timeoutMs, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            completeAsync(operation, true);
            return;
        }
        // An event may have fired between the first check and the registration above.
        if (operation.isSatisfied()) {
            completeAsync(operation, false);
        }
    }

    /**
     * Re-checks, on the purgatory's threads, the operations waiting on {@code key}; call after any
     * event on that partition. Returns at once.
     */
    public void checkAndComplete(TopicPartition key) {
        if (!watchers.containsKey(key) || !pendingChecks.add(key)) {
            return;
        }
        try {
            completer.execute(() -> {
                pendingChecks.remove(key);
                checkNow(key);
            });
        } catch (RejectedExecutionException e) {
            pendingChecks.remove(key);
        }
    }

    private void checkNow(TopicPartition key) {
        Set<DelayedOperation> waiting = watchers.get(key);
        if (waiting == null) {
            return;
        }
        for (DelayedOperation operation : waiting) {
            if (operation.isCompleted()) {
                unwatch(operation);
            } else if (operation.isSatisfied()) {
                complete(operation, false);
            }
        }
    }

    /** Whether the purgatory was closed: an operation completing as expired now expired by shutdown. */
    public boolean isClosed() {
        return closed;
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
            completer.execute(() -> complete(operation, expired));
        } catch (RejectedExecutionException e) {
            complete(operation, expired);
        }
    }

    private void complete(DelayedOperation operation, boolean expired) {
        operation.complete(expired);
        unwatch(operation);
    }

    private void unwatch(DelayedOperation operation) {
        for (TopicPartition key : operation.watchedKeys()) {
            watchers.computeIfPresent(key, (k, set) -> {
                set.remove(operation);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /**
     * Expires every waiting operation now (shutdown) and stops the threads; operations arriving
     * afterwards complete at once as expired.
     */
    @Override
    public void close() {
        closed = true;
        // shutdown, not shutdownNow: an interrupt reaching a thread that is reading a log would close
        // the log's shared FileChannel (ClosedByInterruptException) and take its directory offline.
        timer.shutdown();
        completer.shutdown();
        try {
            completer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Set<DelayedOperation> waiting : watchers.values()) {
            for (DelayedOperation operation : waiting) {
                operation.complete(true);
            }
        }
        watchers.clear();
    }
}
