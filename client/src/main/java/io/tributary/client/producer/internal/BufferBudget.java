package io.tributary.client.producer.internal;

import io.tributary.common.errors.BufferExhaustedException;
import io.tributary.common.errors.InterruptException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accounts {@code buffer.memory}: a batch reserves its bytes when it is created and gives them back
 * when it completes. A sender that finds the budget spent waits (up to {@code max.block.ms}) for
 * batches to complete. It also keeps a few {@code batch.size} arrays of completed batches for new
 * ones, so a busy producer does not allocate and zero a fresh batch buffer each time. Thread-safe.
 */
public final class BufferBudget {

    private final long totalBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final int poolableBytes;
    private final int maxPooled;
    private final java.util.ArrayDeque<byte[]> pooled = new java.util.ArrayDeque<>();
    private long availableBytes;
    private int waiters;

    /** @param poolableBytes the size of recyclable arrays ({@code batch.size}); 0 disables pooling */
    public BufferBudget(long totalBytes, int poolableBytes) {
        this.totalBytes = totalBytes;
        this.availableBytes = totalBytes;
        this.poolableBytes = poolableBytes;
        this.maxPooled = poolableBytes <= 0 ? 0 : (int) Math.min(64, totalBytes / poolableBytes);
    }

    /** An array of {@code size} bytes for a new batch: a recycled one when the size is the pooled size. */
    public byte[] allocate(int size) {
        if (size == poolableBytes) {
            lock.lock();
            try {
                byte[] recycled = pooled.pollFirst();
                if (recycled != null) {
                    return recycled;
                }
            } finally {
                lock.unlock();
            }
        }
        return new byte[size];
    }

    /** Takes back the array of a batch whose bytes nobody reads any more. */
    public void recycle(byte[] buffer) {
        if (buffer.length != poolableBytes) {
            return;
        }
        lock.lock();
        try {
            if (pooled.size() < maxPooled) {
                pooled.addFirst(buffer);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves {@code bytes}, waiting up to {@code maxWaitMs} for them.
     *
     * @throws BufferExhaustedException when they did not become free in time
     * @throws InterruptException when the thread is interrupted while waiting
     */
    public void reserve(int bytes, long maxWaitMs) {
        lock.lock();
        try {
            long leftNs = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
            waiters++;
            try {
                while (availableBytes < bytes) {
                    if (leftNs <= 0) {
                        throw new BufferExhaustedException("failed to allocate " + bytes + " bytes within max.block.ms ("
                                + maxWaitMs + " ms): buffer.memory is " + totalBytes + " bytes and " + availableBytes
                                + " are free; the producer sends slower than the application produces");
                    }
                    leftNs = released.awaitNanos(leftNs);
                }
            } catch (InterruptedException e) {
                throw new InterruptException("interrupted while waiting for producer buffer memory", e);
            } finally {
                waiters--;
            }
            availableBytes -= bytes;
        } finally {
            lock.unlock();
        }
    }

    public long totalBytes() {
        return totalBytes;
    }

    /** Gives back bytes a completed batch held. */
    public void release(int bytes) {
        lock.lock();
        try {
            availableBytes += bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a sender is waiting for memory (the accumulator then sends batches without lingering). */
    public boolean hasWaiters() {
        lock.lock();
        try {
            return waiters > 0;
        } finally {
            lock.unlock();
        }
    }

    public long availableBytes() {
        lock.lock();
        try {
            return availableBytes;
        } finally {
            lock.unlock();
        }
    }
}
