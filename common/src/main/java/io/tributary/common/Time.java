package io.tributary.common;

/**
 * The one source of time for Tributary code. Production code gets {@link #SYSTEM}; tests and the
 * deterministic simulator inject a controllable implementation (see {@code MockTime} in the test-jar).
 *
 * <p>Implementations must be thread-safe.
 */
public interface Time {

    /** The real clock. */
    Time SYSTEM = new SystemTime();

    /** Wall-clock milliseconds since the epoch; used for record timestamps and retention. */
    long milliseconds();

    /** Monotonic nanoseconds; only differences between two calls are meaningful. */
    long nanoseconds();

    /** Monotonic milliseconds; only differences between two calls are meaningful. */
    default long hiResMilliseconds() {
        return nanoseconds() / 1_000_000L;
    }
}
