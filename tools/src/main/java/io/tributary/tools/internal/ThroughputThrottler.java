package io.tributary.tools.internal;

import io.tributary.common.Time;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Holds a sender to about {@code targetPerSecond} records per second, as Kafka's perf tools do: after
 * each send, if the average rate since the start is above the target, the sender owes a pause of
 * {@code 1/target} seconds; owed pauses are taken once they add up to at least 2 ms, so the rate stays
 * smooth without a sleep per record. A negative target disables throttling. Not thread-safe.
 */
public final class ThroughputThrottler {

    private static final long MIN_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(2);

    private final double targetPerSecond;
    private final long startMs;
    private final long pausePerRecordNs;
    private final Time time;
    private long owedNs;

    /**
     * @throws IllegalArgumentException when the target is zero (a sender that may never send)
     */
    public ThroughputThrottler(double targetPerSecond, long startMs, Time time) {
        if (targetPerSecond == 0) {
            throw new IllegalArgumentException("the throughput must be positive, or negative for no limit");
        }
        this.targetPerSecond = targetPerSecond;
        this.startMs = startMs;
        this.time = time;
        this.pausePerRecordNs = targetPerSecond > 0 ? (long) (TimeUnit.SECONDS.toNanos(1) / targetPerSecond) : 0;
    }

    /** True when {@code sentSoFar} records sent by {@code nowMs} is faster than the target. */
    public boolean shouldThrottle(long sentSoFar, long nowMs) {
        if (targetPerSecond < 0) {
            return false;
        }
        double elapsedSec = (nowMs - startMs) / 1000.0;
        return elapsedSec > 0 && sentSoFar / elapsedSec > targetPerSecond;
    }

    /** Adds one record's pause to the debt, and sleeps the debt off once it is worth a sleep. */
    public void throttle() {
        owedNs += pausePerRecordNs;
        if (owedNs < MIN_SLEEP_NS) {
            return;
        }
        long deadlineNs = time.nanoseconds() + owedNs;
        for (long leftNs = owedNs; leftNs > 0; leftNs = deadlineNs - time.nanoseconds()) {
            LockSupport.parkNanos(leftNs);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        owedNs = 0;
    }
}
