package io.tributary.storage;

import io.tributary.storage.internal.ExecutorScheduler;

/**
 * Runs the storage layer's background work: delayed segment deletion, the flush of a rolled
 * segment, and the log manager's periodic retention, flush and checkpoint tasks. Injected so tests
 * can run it deterministically on a mock clock instead of sleeping.
 *
 * <p>Implementations must be thread-safe. A task that throws is logged and, when periodic, keeps
 * its schedule. Tasks must tolerate running after the object that scheduled them was closed.
 */
public interface Scheduler extends AutoCloseable {

    /** A scheduled task that can be cancelled; cancelling a finished task does nothing. */
    interface Cancellable {
        void cancel();
    }

    /** Runs {@code task} once, {@code delayMs} from now (0 = as soon as possible). */
    Cancellable schedule(String name, Runnable task, long delayMs);

    /** Runs {@code task} every {@code periodMs}, first after {@code initialDelayMs}. */
    Cancellable schedulePeriodically(String name, Runnable task, long initialDelayMs, long periodMs);

    /**
     * Drops pending tasks and waits briefly for running ones; tasks scheduled afterwards are dropped
     * silently. Idempotent.
     */
    @Override
    void close();

    /** A scheduler backed by {@code threads} daemon threads named {@code threadNamePrefix-N}. */
    static Scheduler threadPool(String threadNamePrefix, int threads) {
        return new ExecutorScheduler(threadNamePrefix, threads);
    }
}
