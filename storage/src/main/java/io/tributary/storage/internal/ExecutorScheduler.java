package io.tributary.storage.internal;

import io.tributary.storage.Scheduler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Scheduler} on a {@link ScheduledThreadPoolExecutor} with daemon threads. Thread-safe. */
public final class ExecutorScheduler implements Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);
    private static final long CLOSE_WAIT_MS = 30_000;

    private final ScheduledThreadPoolExecutor executor;

    public ExecutorScheduler(String threadNamePrefix, int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new Thread(runnable, threadNamePrefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(String name, Runnable task, long delayMs) {
        try {
            ScheduledFuture<?> future = executor.schedule(guarded(name, task), delayMs, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return dropped(name);
        }
    }

    @Override
    public Cancellable schedulePeriodically(String name, Runnable task, long initialDelayMs, long periodMs) {
        try {
            ScheduledFuture<?> future = executor.scheduleAtFixedRate(
                    guarded(name, task), initialDelayMs, periodMs, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return dropped(name);
        }
    }

    // After close nothing runs any more; a caller racing shutdown (e.g. a roll) must not fail because of it.
    private static Cancellable dropped(String name) {
        LOG.debug("Scheduler closed; dropped task '{}'", name);
        return () -> { };
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Scheduler tasks still running {} ms after close", CLOSE_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // A periodic task that throws would silently stop repeating; log and keep the schedule instead.
    private static Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Background task '{}' failed", name, e);
            }
        };
    }
}
