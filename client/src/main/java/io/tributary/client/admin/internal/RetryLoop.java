package io.tributary.client.admin.internal;

import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin's retrying calls share: attempts run one at a time, each started by the previous
 * one's retriable failure after a doubling backoff (cut to the time left); the call is registered
 * with the runtime, so {@link AdminRuntime#close} waits for and then aborts it; at the deadline it
 * fails with a {@link io.tributary.common.errors.TimeoutException} naming the call and the last
 * error. Subclasses make the attempts.
 *
 * <p>Thread-safety: attempts run on gRPC callback threads and the admin threads, one at a time.
 *
 * @param <R> the call's result type
 */
abstract class RetryLoop<R> {

    private static final Logger log = LoggerFactory.getLogger(RetryLoop.class);

    final AdminRuntime runtime;
    final String name;
    final Deadline deadline;
    final CompletableFuture<R> result = new CompletableFuture<>();
    private volatile Throwable lastError;
    private volatile int failures;

    RetryLoop(AdminRuntime runtime, String name, Deadline deadline) {
        this.runtime = runtime;
        this.name = name;
        this.deadline = deadline;
    }

    /** Registers the call and makes the first attempt; returns the call's future. */
    final CompletableFuture<R> start() {
        if (runtime.begin(name, deadline, result, result::completeExceptionally, this::expire)) {
            attempt();
        }
        return result;
    }

    /** Makes one attempt, which must complete {@link #result} or call {@link #retry}. */
    abstract void send();

    /** What the call is waiting for, said at the deadline when nothing failed yet: "no answer yet from ...". */
    abstract String waitingFor();

    /** How many attempts failed so far. */
    final int failures() {
        return failures;
    }

    private void attempt() {
        if (result.isDone()) {
            return;
        }
        if (deadline.remainingMs() <= 0) {
            expire();
            return;
        }
        send();
    }

    /** Schedules the next attempt after the backoff; {@code error} is the last error the timeout names. */
    final void retry(Throwable error) {
        lastError = error;
        long delayMs = Math.min(runtime.backoffMs(failures), deadline.remainingMs());
        failures++;
        log.debug("{} attempt {} failed, retrying in {} ms: {}", name, failures, delayMs, error.getMessage());
        runtime.retryLater(this::attempt, delayMs);
    }

    private void expire() {
        result.completeExceptionally(deadline.timeout(name, lastError, waitingFor()));
    }
}
