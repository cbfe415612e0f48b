package io.tributary.storage.internal;

import io.tributary.common.errors.StorageException;
import io.tributary.storage.Log;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log manager's routines over many logs at once: loading a directory's logs in parallel,
 * retention, scheduled flushes, removing deleted directories. Stateless; each routine's
 * thread-safety is that of the {@link Log}s it calls.
 */
public final class LogTasks {

    private static final Logger LOG = LoggerFactory.getLogger(LogTasks.class);

    private LogTasks() {
    }

    /**
     * Runs {@code loaders} on {@code threads} threads and returns every loaded log. If any loader fails,
     * the logs already loaded are closed and the first failure is rethrown (an Error is wrapped in a
     * StorageException), so a failed load leaves nothing open.
     */
    public static List<Log> loadInParallel(Path dir, int threads, List<Callable<Log>> loaders) throws IOException {
        List<Log> loaded = new ArrayList<>();
        Exception failure = null;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("log-recovery-" + dir.getFileName() + "-", 0).daemon().factory())) {
            for (Future<Log> future : pool.invokeAll(loaders)) {
                try {
                    loaded.add(future.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof Exception cause ? cause
                                : new StorageException("loading a log of " + dir + " failed: " + e.getCause(),
                                        e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new StorageException("interrupted while loading the logs of " + dir, e);
        }
        if (failure != null) {
            loaded.forEach(LogTasks::closeQuietly);
            if (failure instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) failure;
        }
        return loaded;
    }

    /** Applies retention to every online log; a failure is logged (its directory is already offline). */
    public static void runRetention(Collection<Log> logs) {
        for (Log log : logs) {
            if (log.isOnline()) {
                try {
                    log.deleteOldSegments();
                } catch (StorageException e) {
                    LOG.warn("Retention of {} failed: {}", log.topicPartition(), e.getMessage());
                }
            }
        }
    }

    /** Flushes every online log whose {@code flush.ms} has passed since its last flush and that has unsynced data. */
    public static void flushDueLogs(Collection<Log> logs, long nowMs) {
        for (Log log : logs) {
            boolean due = nowMs - log.lastFlushTimeMs() >= log.config().flushMs()
                    && log.recoveryPoint() < log.logEndOffset();
            if (due && log.isOnline()) {
                try {
                    log.flush();
                } catch (StorageException e) {
                    LOG.warn("Scheduled flush of {} failed: {}", log.topicPartition(), e.getMessage());
                }
            }
        }
    }

    /** Deletes {@code path} and, for a directory, everything below it. */
    public static void deleteRecursively(FileIo io, Path path) throws IOException {
        if (io.isDirectory(path)) {
            for (Path child : io.list(path)) {
                deleteRecursively(io, child);
            }
        }
        io.deleteIfExists(path);
    }

    /** Closes {@code log}, logging instead of throwing when its directory has failed. */
    public static void closeQuietly(Log log) {
        try {
            log.close();
        } catch (StorageException e) {
            LOG.warn("Closing {} failed: {}", log.dir(), e.getMessage());
        }
    }
}
