package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request that waits for an event (data arriving, the high watermark advancing) or a deadline,
 * whichever comes first. {@link #isSatisfied()} is asked after each relevant event; {@link #onComplete}
 * runs exactly once, either because the operation became satisfied or because it expired.
 *
 * <p>Thread-safety: {@code isSatisfied} may be called from several threads at once and must only
 * read, or record monotonic facts thread-safely (a latched maximum); completion is guarded so
 * {@code onComplete} runs once.
 */
public abstract class DelayedOperation {

    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile ScheduledFuture<?> expiry;
    private volatile List<TopicPartition> watchedKeys = List.of();

    /** Whether the operation can complete now. Side-effect free, but for thread-safe monotonic latches. */
    protected abstract boolean isSatisfied();

    /** Produces the outcome; {@code expired} tells whether the deadline passed first. */
    protected abstract void onComplete(boolean expired);

    final boolean isCompleted() {
        return completed.get();
    }

    /** Completes the operation unless it already completed; returns whether this call completed it. */
    final boolean complete(boolean expired) {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> timer = expiry;
        if (timer != null && !expired) {
            timer.cancel(false);
        }
        onComplete(expired);
        return true;
    }

    final void setExpiry(ScheduledFuture<?> expiry) {
        this.expiry = expiry;
    }

    final void setWatchedKeys(List<TopicPartition> keys) {
        this.watchedKeys = List.copyOf(keys);
    }

    final List<TopicPartition> watchedKeys() {
        return watchedKeys;
    }
}
