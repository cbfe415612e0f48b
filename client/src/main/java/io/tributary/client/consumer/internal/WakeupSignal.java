package io.tributary.client.consumer.internal;

import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InterruptException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.errors.WakeupException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code Consumer.wakeup()}: a request from any thread that the application thread's current or
 * next blocking call throw {@link WakeupException}, also ending waits for background work early.
 */
public final class WakeupSignal {

    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean disabled;
    /** Completed by {@link #wakeup()}; replaced (by the application thread) once the wake-up is consumed. */
    private volatile CompletableFuture<Void> signal = new CompletableFuture<>();

    /** Thread-safe. */
    public void wakeup() {
        if (!disabled) {
            requested.set(true);
            signal.complete(null);
        }
    }

    /** Ignores wake-ups from now on: close() is not interrupted by them, as in Kafka. */
    public void disable() {
        disabled = true;
        requested.set(false);
    }

    /** Throws {@link WakeupException} once per {@link #wakeup()}. */
    public void maybeThrow() {
        if (!disabled && requested.compareAndSet(true, false)) {
            signal = new CompletableFuture<>();
            throw new WakeupException();
        }
    }

    /**
     * Waits for {@code future} until {@code deadlineMs} (wall clock, as {@code nowMs}), returning its
     * value or throwing its failure.
     *
     * @throws WakeupException     when woken up meanwhile
     * @throws TimeoutException    when the deadline passed first
     * @throws InterruptException  when the thread was interrupted
     */
    /**
     * {@link #await} for work a wake-up must not cut short (giving up partitions in unsubscribe()):
     * a wake-up meanwhile stays pending for the next blocking call.
     */
    public <T> T awaitKeepingWakeup(CompletableFuture<T> future, long nowMs, long deadlineMs, String what) {
        try {
            return future.get(Math.max(0, deadlineMs - nowMs), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(what + " timed out after " + Math.max(0, deadlineMs - nowMs) + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            Throwable cause = Errors.unwrap(e);
            throw cause instanceof RuntimeException runtime ? runtime : new TributaryException(what + " failed", cause);
        }
    }

    public <T> T await(CompletableFuture<T> future, long nowMs, long deadlineMs, String what) {
        long waitNs = TimeUnit.MILLISECONDS.toNanos(Math.max(0, deadlineMs - nowMs));
        long startNs = System.nanoTime();
        while (!future.isDone()) {
            maybeThrow();
            long leftNs = waitNs - (System.nanoTime() - startNs);
            try {
                CompletableFuture.anyOf(future, signal).get(leftNs, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new TimeoutException(what + " timed out after " + TimeUnit.NANOSECONDS.toMillis(waitNs) + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException("interrupted while " + what, e);
            } catch (ExecutionException e) {
                // The future failed: thrown below, from the future itself.
            }
        }
        try {
            return future.getNow(null);
        } catch (RuntimeException e) {
            Throwable cause = Errors.unwrap(e);
            throw cause instanceof RuntimeException runtime ? runtime : new TributaryException(what + " failed", cause);
        }
    }
}
