package io.tributary.storage;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.internal.LogDirHealth;
import io.tributary.storage.internal.checkpoint.AtomicFile;
import io.tributary.storage.internal.checkpoint.LogDirCheckpoints;
import io.tributary.storage.internal.checkpoint.MetaProperties;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files a {@link LogManager} keeps in each log directory besides the logs: the three offset
 * checkpoints ({@link LogDirCheckpoints}), the clean-shutdown marker ({@value LogManager#CLEAN_SHUTDOWN_FILE})
 * and {@code meta.properties}. Not thread-safe: the log manager serialises use under its lock.
 */
final class LogDirFiles {

    private final FileIo io;

    LogDirFiles(FileIo io) {
        this.io = io;
    }

    /** See {@link LogManager#existingClusterId}. */
    static Optional<String> existingClusterId(List<Path> logDirs, FileIo io) {
        for (Path dir : logDirs) {
            try {
                Optional<MetaProperties> meta = MetaProperties.read(io, dir);
                if (meta.isPresent()) {
                    return Optional.of(meta.get().clusterId());
                }
            } catch (IOException e) {
                throw new StorageException("cannot read " + dir.resolve(MetaProperties.FILE_NAME) + ": "
                        + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /**
     * Writes the checkpoints of every online directory from the logs in it, each file atomically. A
     * failure takes that directory offline and does not throw.
     */
    void writeCheckpoints(Map<Path, LogDirHealth> healthByDir, Collection<Log> logs) {
        for (Map.Entry<Path, LogDirHealth> entry : healthByDir.entrySet()) {
            if (!entry.getValue().isOnline()) {
                continue;
            }
            Map<TopicPartition, Long> recoveryPoints = new HashMap<>();
            Map<TopicPartition, Long> highWatermarks = new HashMap<>();
            Map<TopicPartition, Long> logStartOffsets = new HashMap<>();
            for (Log log : logs) {
                if (log.dir().getParent().equals(entry.getKey())) {
                    recoveryPoints.put(log.topicPartition(), log.recoveryPoint());
                    highWatermarks.put(log.topicPartition(), log.highWatermark());
                    logStartOffsets.put(log.topicPartition(), log.logStartOffset());
                }
            }
            try {
                new LogDirCheckpoints(io, entry.getKey()).write(recoveryPoints, highWatermarks, logStartOffsets);
            } catch (IOException e) {
                entry.getValue().markOffline("writing the checkpoints of " + entry.getKey(), e);
            }
        }
    }

    /**
     * Writes the log-start-offset checkpoint of each online directory holding one of
     * {@code partitions} (unknown ones are ignored), listing every log in it, atomically. A failure
     * takes that directory offline and does not throw.
     */
    void writeLogStartOffsetCheckpoints(Map<Path, LogDirHealth> healthByDir, Collection<TopicPartition> partitions,
                                        Map<TopicPartition, Log> logsByPartition) {
        Set<Path> dirs = new HashSet<>();
        for (TopicPartition tp : partitions) {
            Log log = logsByPartition.get(tp);
            if (log != null) {
                dirs.add(log.dir().getParent());
            }
        }
        for (Path dir : dirs) {
            LogDirHealth health = healthByDir.get(dir);
            if (health == null || !health.isOnline()) {
                continue;
            }
            Map<TopicPartition, Long> logStartOffsets = new HashMap<>();
            for (Log log : logsByPartition.values()) {
                if (log.dir().getParent().equals(dir)) {
                    logStartOffsets.put(log.topicPartition(), log.logStartOffset());
                }
            }
            try {
                new LogDirCheckpoints(io, dir).writeLogStartOffsets(logStartOffsets);
            } catch (IOException e) {
                health.markOffline("writing the log-start-offset checkpoint of " + dir, e);
            }
        }
    }

    boolean hasCleanShutdownMarker(Path dir) {
        return io.exists(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
    }

    /** Removes the marker durably (directory fsync), so a crash from now on counts as unclean. */
    void removeCleanShutdownMarker(Path dir) throws IOException {
        io.deleteIfExists(dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
        io.fsyncDirectory(dir);
    }

    /** Writes the marker of an online directory (atomically); a failure takes the directory offline. */
    void writeCleanShutdownMarker(Path dir, LogDirHealth health) {
        if (health.isOnline()) {
            try {
                AtomicFile.write(io, dir.resolve(LogManager.CLEAN_SHUTDOWN_FILE), new byte[0]);
            } catch (IOException e) {
                health.markOffline("writing the clean-shutdown marker of " + dir, e);
            }
        }
    }
}
