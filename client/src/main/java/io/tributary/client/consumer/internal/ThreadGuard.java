package io.tributary.client.consumer.internal;

import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Refuses use of a consumer from two threads at once, as Kafka's consumer does, and any use after
 * close: {@link #acquire} marks the calling thread as the user (re-entrantly, so a rebalance listener
 * may call the consumer), {@link #release} ends the call.
 */
public final class ThreadGuard {

    private static final long NO_CURRENT_THREAD = -1L;

    private final AtomicLong currentThread = new AtomicLong(NO_CURRENT_THREAD);
    private int refCount;
    private volatile boolean closed;

    /**
     * @throws IllegalStateException           after {@link #markClosed()}
     * @throws ConcurrentModificationException when another thread is inside a call
     */
    public void acquire() {
        if (closed) {
            throw new IllegalStateException("this consumer has already been closed");
        }
        long threadId = Thread.currentThread().getId();
        if (threadId != currentThread.get() && !currentThread.compareAndSet(NO_CURRENT_THREAD, threadId)) {
            throw new ConcurrentModificationException("TributaryConsumer is not safe for multi-threaded access: "
                    + "thread " + Thread.currentThread().getName() + " (id " + threadId + ") called it while thread id "
                    + currentThread.get() + " was using it");
        }
        refCount++;
    }

    public void release() {
        if (--refCount == 0) {
            currentThread.set(NO_CURRENT_THREAD);
        }
    }

    /** Runs {@code body} as the consumer's one user thread. */
    public <T> T call(Supplier<T> body) {
        acquire();
        try {
            return body.get();
        } finally {
            release();
        }
    }

    public void run(Runnable body) {
        call(() -> {
            body.run();
            return null;
        });
    }

    /** Refuses every later call. */
    public void markClosed() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
