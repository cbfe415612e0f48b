package io.tributary.client.consumer.internal;

import java.util.ConcurrentModificationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses use of a consumer from two threads at once, as Kafka's consumer does: {@link #acquire}
 * marks the calling thread as the user (re-entrantly, so a rebalance listener may call the consumer),
 * {@link #release} ends the call.
 */
public final class ThreadGuard {

    private static final long NO_CURRENT_THREAD = -1L;

    private final AtomicLong currentThread = new AtomicLong(NO_CURRENT_THREAD);
    private int refCount;

    /** @throws ConcurrentModificationException when another thread is inside a call */
    public void acquire() {
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
}
