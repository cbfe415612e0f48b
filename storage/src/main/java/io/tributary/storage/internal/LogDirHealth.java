package io.tributary.storage.internal;

import io.tributary.common.errors.StorageException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one log directory is usable. The first failed write, fsync, index write, rename or delete
 * in the directory takes it offline for the rest of the process's life: nothing is retried (after a
 * failed fsync the kernel may have dropped the dirty pages, so a retry that "succeeds" would lie) and
 * every later operation on a log in the directory fails with a {@link StorageException} naming it.
 *
 * <p>Thread-safe. The failure listener runs once, on the thread that hit the first failure.
 */
public final class LogDirHealth {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirHealth.class);

    private final Path dir;
    private final Consumer<Path> onFailure;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public LogDirHealth(Path dir, Consumer<Path> onFailure) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    public Path dir() {
        return dir;
    }

    public boolean isOnline() {
        return failure.get() == null;
    }

    /** @throws StorageException when the directory is offline */
    public void ensureOnline() {
        Throwable cause = failure.get();
        if (cause != null) {
            throw new StorageException("log directory " + dir + " is offline after an earlier I/O failure: "
                    + cause.getMessage(), cause);
        }
    }

    /**
     * Takes the directory offline (if it is not already) because {@code operation} failed, and returns
     * the exception for the caller to throw.
     */
    public StorageException markOffline(String operation, Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            LOG.error("Log directory {} is now offline: {} failed", dir, operation, cause);
            onFailure.accept(dir);
        }
        return new StorageException("log directory " + dir + " is offline: " + operation + " failed: "
                + cause.getMessage(), cause);
    }
}
