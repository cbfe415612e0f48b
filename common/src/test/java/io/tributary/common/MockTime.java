package io.tributary.common;

import java.util.concurrent.atomic.AtomicLong;

/** A manually advanced {@link Time} for tests and simulation. Thread-safe. */
public final class MockTime implements Time {

    private final AtomicLong nowMs;
    private final AtomicLong nowNs;

    public MockTime() {
        this(1_700_000_000_000L);
    }

    public MockTime(long startMs) {
        this.nowMs = new AtomicLong(startMs);
        this.nowNs = new AtomicLong(0);
    }

    @Override
    public long milliseconds() {
        return nowMs.get();
    }

    @Override
    public long nanoseconds() {
        return nowNs.get();
    }

    /** Moves both clocks forward by {@code deltaMs}. */
    public void sleep(long deltaMs) {
        nowMs.addAndGet(deltaMs);
        nowNs.addAndGet(deltaMs * 1_000_000L);
    }
}
