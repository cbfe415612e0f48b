package io.tributary.client.internal;

/** Deadline arithmetic that saturates, so {@code poll(Duration.ofMillis(Long.MAX_VALUE))} means "no deadline". */
public final class Deadlines {

    private Deadlines() {
    }

    /** {@code nowMs + timeoutMs}, or {@link Long#MAX_VALUE} when that would overflow; a negative timeout counts as 0. */
    public static long after(long nowMs, long timeoutMs) {
        long timeout = Math.max(0, timeoutMs);
        return nowMs > Long.MAX_VALUE - timeout ? Long.MAX_VALUE : nowMs + timeout;
    }
}
