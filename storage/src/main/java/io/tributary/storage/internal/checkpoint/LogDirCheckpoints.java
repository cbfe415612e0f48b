package io.tributary.storage.internal.checkpoint;

import io.tributary.common.TopicPartition;
import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three per-log-directory checkpoint files and the policy for reading them:
 *
 * <ul>
 *   <li>{@code recovery-point-offset-checkpoint}: when corrupt, a warning and no recovery points, i.e. a
 *       full recovery of every log in the directory after an unclean shutdown. Safe: recovery only
 *       validates data, it never invents any.
 *   <li>{@code replication-offset-checkpoint} (high watermarks) and {@code log-start-offset-checkpoint}:
 *       when corrupt, {@link CorruptCheckpointException} naming file and line. Guessing either could
 *       expose uncommitted or deleted records, so startup fails loudly instead.
 * </ul>
 *
 * A missing file means "no entries". Writes are atomic. Not thread-safe: the log manager serialises use.
 */
public final class LogDirCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirCheckpoints.class);

    private final OffsetCheckpointFile recoveryPoints;
    private final OffsetCheckpointFile highWatermarks;
    private final OffsetCheckpointFile logStartOffsets;

    public LogDirCheckpoints(FileIo io, Path logDir) {
        this.recoveryPoints = new OffsetCheckpointFile(io, logDir.resolve(OffsetCheckpointFile.RECOVERY_POINT_FILE));
        this.highWatermarks = new OffsetCheckpointFile(io, logDir.resolve(OffsetCheckpointFile.HIGH_WATERMARK_FILE));
        this.logStartOffsets = new OffsetCheckpointFile(io, logDir.resolve(OffsetCheckpointFile.LOG_START_OFFSET_FILE));
    }

    /** The checkpointed recovery points; empty (full recovery) when the file is corrupt. */
    public Map<TopicPartition, Long> readRecoveryPoints() throws IOException {
        try {
            return recoveryPoints.read();
        } catch (CorruptCheckpointException e) {
            LOG.warn("Ignoring {}; every log in its directory will be fully recovered", e.getMessage());
            return Map.of();
        }
    }

    /** @throws CorruptCheckpointException when the file is corrupt */
    public Map<TopicPartition, Long> readHighWatermarks() throws IOException {
        return highWatermarks.read();
    }

    /** @throws CorruptCheckpointException when the file is corrupt */
    public Map<TopicPartition, Long> readLogStartOffsets() throws IOException {
        return logStartOffsets.read();
    }

    /** Writes all three files, each atomically. */
    public void write(Map<TopicPartition, Long> recoveryPointByPartition, Map<TopicPartition, Long> hwByPartition,
            Map<TopicPartition, Long> logStartOffsetByPartition) throws IOException {
        recoveryPoints.write(recoveryPointByPartition);
        highWatermarks.write(hwByPartition);
        logStartOffsets.write(logStartOffsetByPartition);
    }

    /** Writes only the log-start-offset checkpoint (every log of the directory, as {@link #write} does). */
    public void writeLogStartOffsets(Map<TopicPartition, Long> logStartOffsetByPartition) throws IOException {
        logStartOffsets.write(logStartOffsetByPartition);
    }
}
