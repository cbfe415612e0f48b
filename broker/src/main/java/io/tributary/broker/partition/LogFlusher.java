package io.tributary.broker.partition;

import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for {@code log.flush.on.commit=true}: appends ask for a flush, and one thread fsyncs
 * each partition that has asked since its last pass. While an fsync runs, further appends pile up
 * and are made durable by the next single fsync, so the fsync rate stays bounded by the disk's
 * latency rather than the request rate.
 *
 * <p>Thread-safety: {@link #requestFlush} may be called from any thread.
 */
public final class LogFlusher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogFlusher.class);

    private final Object lock = new Object();
    private final Set<Partition> pending = new LinkedHashSet<>();
    private final Thread thread;
    private boolean closed;

    public LogFlusher() {
        this.thread = new Thread(this::run, "log-flusher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void requestFlush(Partition partition) {
        synchronized (lock) {
            if (!closed) {
                pending.add(partition);
                lock.notifyAll();
            }
        }
    }

    private void run() {
        while (true) {
            Set<Partition> batch;
            synchronized (lock) {
                while (pending.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                batch = new LinkedHashSet<>(pending);
                pending.clear();
            }
            for (Partition partition : batch) {
                flushOne(partition);
            }
        }
    }

    private static void flushOne(Partition partition) {
        try {
            partition.flush();
        } catch (RuntimeException e) {
            // The partition records the failure itself (sticky) and wakes its waiters; log once here.
            log.error("Flush of {} failed; the partition is offline", partition.topicPartition(), e);
        }
    }

    /** Flushes what is pending, then stops the thread. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
