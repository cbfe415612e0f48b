package io.tributary.tools.internal;

import io.tributary.client.producer.Callback;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts records a producer could not send, and keeps the first error. Fed from the producer's
 * callback thread; read after the producer was closed. Thread-safe.
 */
public final class SendFailures {

    private final AtomicLong count = new AtomicLong();
    private final AtomicReference<Exception> first = new AtomicReference<>();

    /** Counts {@code error} when it is not null (the argument of a {@link Callback}). */
    public void record(Exception error) {
        if (error != null) {
            count.incrementAndGet();
            first.compareAndSet(null, error);
        }
    }

    /**
     * @throws CommandException saying how many of {@code attempted} records failed, and why the first did
     */
    public void throwIfAny(long attempted, String topic) {
        if (count.get() > 0) {
            throw new CommandException(count.get() + " of " + attempted + " records could not be sent to topic " + topic
                    + "; the first error: " + first.get().getMessage(), first.get());
        }
    }
}
