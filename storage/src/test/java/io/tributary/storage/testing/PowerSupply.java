package io.tributary.storage.testing;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The power feeding one or more {@link PowerLossFileIo}s — several nodes' disks on one supply lose
 * power at the same instant. Every file-system call made through those FileIos runs while holding
 * the supply's read lock, so {@link #cut()} (the write lock) separates them cleanly: a call either
 * finished before the cut, with all its effects, or fails without touching anything. A cut from
 * inside a call ({@link PowerLossFileIo#cutPowerAfterNextWrite}) lets the calls already past their
 * check finish, as if they had completed just before it.
 *
 * <p>Thread-safe.
 */
public final class PowerSupply {

    /** A file-system call run on this supply. */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean on = true;

    /** Waits for the calls in flight on every disk of this supply, then fails every later call. */
    public void cut() {
        lock.writeLock().lock();
        try {
            on = false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Lets calls through again (after {@link PowerLossFileIo#dropUnsyncedData()}, for a restart). */
    public void restore() {
        lock.writeLock().lock();
        try {
            on = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isOn() {
        return on;
    }

    /**
     * Cuts the power from inside a call (which holds the read lock, so cannot wait for the others):
     * later calls fail, calls already past their check finish normally.
     */
    void cutFromInsideCall() {
        on = false;
    }

    /** Runs {@code call} if the power is on; otherwise fails as a dead disk would. */
    <T> T powered(String what, IoCall<T> call) throws IOException {
        lock.readLock().lock();
        try {
            if (!on) {
                throw new IOException("power lost: " + what);
            }
            return call.call();
        } finally {
            lock.readLock().unlock();
        }
    }
}
