package io.tributary.storage;

/**
 * The high watermark of one {@link Log}, kept within [logStartOffset, logEndOffset]. Writes are
 * serialised by a lock of their own, separate from the log's append and flush locks, and read the log's
 * offsets inside it; reads take no lock.
 */
final class HighWatermark {

    private final Log log;
    private final Object lock = new Object();
    private volatile long value;

    HighWatermark(Log log, long initialValue) {
        this.log = log;
        this.value = initialValue;
    }

    long get() {
        return value;
    }

    /** See {@link Log#updateHighWatermark}. */
    void update(long hw) {
        synchronized (lock) {
            // Not Math.clamp: a truncation may briefly publish start > end, which must not throw here.
            value = Math.max(log.logStartOffset(), Math.min(hw, log.logEndOffset()));
        }
    }

    /**
     * After the log start offset moved up, the high watermark may only move up with it: reading and
     * writing it back outside the lock could undo a concurrent advance.
     */
    void raiseToLogStart() {
        synchronized (lock) {
            value = Math.max(value, log.logStartOffset());
        }
    }

    /** Call with both of the log's locks held, after a truncation set the log's new offsets. */
    void clampAfterTruncation() {
        synchronized (lock) {
            value = Math.clamp(value, log.logStartOffset(), log.logEndOffset());
        }
    }
}
