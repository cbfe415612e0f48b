package io.tributary.storage;

import io.tributary.common.Time;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.internal.LogDirHealth;
import io.tributary.storage.internal.recovery.LoadedLog;
import io.tributary.storage.internal.recovery.LogLoader;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Opens a log. Required: the directory (named {@code <topic>-<partition>}) and a scheduler.
 * Defaults: {@link LogConfig#defaults()}, {@link Time#SYSTEM}, {@link FileIo#system()}, recovery
 * point 0 (recover everything after an unclean shutdown), no checkpointed log start offset, high
 * watermark 0, unclean shutdown.
 */
public final class LogBuilder {
    private final Path dir;
    private LogConfig config = LogConfig.defaults();
    private Time time = Time.SYSTEM;
    private Scheduler scheduler;
    private FileIo io = FileIo.system();
    private long recoveryPoint;
    private long logStartOffset = -1;
    private long highWatermark;
    private boolean hadCleanShutdown;
    private LogDirHealth dirHealth;

    LogBuilder(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public LogBuilder config(LogConfig value) {
        this.config = Objects.requireNonNull(value);
        return this;
    }

    public LogBuilder time(Time value) {
        this.time = Objects.requireNonNull(value);
        return this;
    }

    public LogBuilder scheduler(Scheduler value) {
        this.scheduler = Objects.requireNonNull(value);
        return this;
    }

    public LogBuilder fileIo(FileIo value) {
        this.io = Objects.requireNonNull(value);
        return this;
    }

    /** The checkpointed recovery point: after an unclean shutdown, recovery starts at its segment. */
    public LogBuilder recoveryPoint(long value) {
        this.recoveryPoint = value;
        return this;
    }

    /** The checkpointed log start offset (-1 = unknown: the first segment's base offset). */
    public LogBuilder logStartOffset(long value) {
        this.logStartOffset = value;
        return this;
    }

    /** The checkpointed high watermark; clamped to the loaded offsets. */
    public LogBuilder highWatermark(long value) {
        this.highWatermark = value;
        return this;
    }

    /** Whether the log was closed cleanly (flushed, indexes trimmed): then nothing is recovered. */
    public LogBuilder hadCleanShutdown(boolean value) {
        this.hadCleanShutdown = value;
        return this;
    }

    /** The health of the log directory shared by all its logs (set by the log manager). */
    LogBuilder dirHealth(LogDirHealth value) {
        this.dirHealth = value;
        return this;
    }

    /**
     * Opens the log: loads the segments and, after an unclean shutdown, recovers them (see
     * {@link LogLoader}). Creates the directory if it does not exist.
     *
     * @throws StorageException when the files cannot be read or repaired (the directory goes offline),
     *     or {@link CorruptCheckpointException} when the leader-epoch checkpoint is unreadable
     */
    public Log build() {
        Objects.requireNonNull(scheduler, "scheduler");
        if (dirHealth == null) {
            dirHealth = new LogDirHealth(dir.toAbsolutePath().getParent(), failedDir -> { });
        }
        dirHealth.ensureOnline();
        try {
            io.createDirectories(dir);
            LoadedLog loaded = LogLoader.load(dir, config, io, recoveryPoint, logStartOffset, hadCleanShutdown);
            return new Log(this, loaded);
        } catch (IOException e) {
            throw dirHealth.markOffline("loading " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    LogConfig config() {
        return config;
    }

    Time time() {
        return time;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    FileIo fileIo() {
        return io;
    }

    long highWatermark() {
        return highWatermark;
    }

    LogDirHealth dirHealth() {
        return dirHealth;
    }
}
