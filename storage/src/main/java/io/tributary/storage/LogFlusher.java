package io.tributary.storage;

import io.tributary.common.Time;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.internal.LogDirHealth;
import io.tributary.storage.internal.SegmentedLog;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability side of one {@link Log}: its recovery point, the time of its last flush, and the flush
 * lock that serialises fsyncs apart from the log's append lock, so appends continue while an fsync runs
 * (group commit). The log takes this lock as well, always after its append lock, around truncation and
 * close.
 */
final class LogFlusher {

    private static final Logger LOG = LoggerFactory.getLogger(Log.class);

    private final Log log;
    private final SegmentedLog files;
    private final Time time;
    private final LogDirHealth dirHealth;
    private final ReentrantLock flushLock = new ReentrantLock();
    private volatile long recoveryPoint;
    private volatile long lastFlushTimeMs;

    LogFlusher(Log log, SegmentedLog files, Time time, LogDirHealth dirHealth, long recoveryPoint) {
        this.log = log;
        this.files = files;
        this.time = time;
        this.dirHealth = dirHealth;
        this.recoveryPoint = recoveryPoint;
        this.lastFlushTimeMs = time.milliseconds();
    }

    void lock() {
        flushLock.lock();
    }

    void unlock() {
        flushLock.unlock();
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    long lastFlushTimeMs() {
        return lastFlushTimeMs;
    }

    /** Call with both of the log's locks held: a truncation to {@code newEnd} drops what was synced above it. */
    void capRecoveryPoint(long newEnd) {
        recoveryPoint = Math.min(recoveryPoint, newEnd);
    }

    /** See {@link Log#flush()}: a caller whose {@code offset} is already synced returns without syncing. */
    long flushUpTo(long offset) {
        flushLock.lock();
        try {
            log.ensureUsable();
            if (recoveryPoint >= offset) {
                return recoveryPoint;
            }
            long target = log.logEndOffset();
            files.flushFrom(recoveryPoint);
            recoveryPoint = Math.max(recoveryPoint, target);
            lastFlushTimeMs = time.milliseconds();
            return recoveryPoint;
        } catch (IOException e) {
            throw dirHealth.markOffline("fsync of " + log.dir(), e);
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * Call with both of the log's locks held, when closing an online log: syncs what is still unsynced,
     * then seals and forces the active segment's indexes (see {@link Log#close()}).
     */
    void flushForClose() {
        if (recoveryPoint < log.logEndOffset()) {
            flushUpTo(log.logEndOffset());
        }
        try {
            files.flushForClose();
        } catch (IOException e) {
            throw dirHealth.markOffline("fsync of the indexes of " + log.dir() + " at close", e);
        }
    }

    void flushInBackground(long offset) {
        if (log.isClosed() || !dirHealth.isOnline()) {
            return;
        }
        try {
            flushUpTo(offset);
        } catch (StorageException e) {
            LOG.debug("Background flush of {} skipped: {}", log.topicPartition(), e.getMessage());
        }
    }
}
