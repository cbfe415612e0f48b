package io.tributary.client.internal;

/**
 * The client's retry wait: {@code retry.backoff.ms} doubled per failed attempt, capped at
 * {@code retry.backoff.max.ms} (as Kafka's clients do). Shared by the producer and the admin client.
 */
public final class Backoff {

    private Backoff() {
    }

    /** The wait before retry number {@code failures + 1}. */
    public static long exponentialMs(long retryBackoffMs, long retryBackoffMaxMs, int failures) {
        double doubled = retryBackoffMs * Math.pow(2, Math.min(failures, 30));
        return (long) Math.min(doubled, Math.max(retryBackoffMs, retryBackoffMaxMs));
    }
}
