package io.tributary.storage.internal.checkpoint;

import io.tributary.common.TopicPartition;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A per-log-directory file mapping partitions to an offset, in Kafka's format (version 0, lines
 * {@code <topic> <partition> <offset>}): {@code recovery-point-offset-checkpoint},
 * {@code replication-offset-checkpoint} (high watermarks) and {@code log-start-offset-checkpoint}.
 */
public final class OffsetCheckpointFile {

    public static final String RECOVERY_POINT_FILE = "recovery-point-offset-checkpoint";
    public static final String HIGH_WATERMARK_FILE = "replication-offset-checkpoint";
    public static final String LOG_START_OFFSET_FILE = "log-start-offset-checkpoint";

    private static final int VERSION = 0;

    private final CheckpointFile<Map.Entry<TopicPartition, Long>> file;

    public OffsetCheckpointFile(FileIo io, Path file) {
        this.file = new CheckpointFile<>(io, file, VERSION, new Format());
    }

    public Path path() {
        return file.file();
    }

    /** Atomically replaces the file; entries are written sorted by partition. */
    public void write(Map<TopicPartition, Long> offsets) throws IOException {
        file.write(new TreeMap<>(offsets).entrySet());
    }

    /** The offsets; empty when the file is missing. Throws CorruptCheckpointException when malformed. */
    public Map<TopicPartition, Long> read() throws IOException {
        List<Map.Entry<TopicPartition, Long>> entries = file.read();
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> entry : entries) {
            offsets.put(entry.getKey(), entry.getValue());
        }
        return offsets;
    }

    private static final class Format implements CheckpointFile.EntryFormat<Map.Entry<TopicPartition, Long>> {

        @Override
        public String toLine(Map.Entry<TopicPartition, Long> entry) {
            return entry.getKey().topic() + " " + entry.getKey().partition() + " " + entry.getValue();
        }

        @Override
        public Map.Entry<TopicPartition, Long> fromLine(String line) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != 3) {
                throw new IllegalArgumentException("expected '<topic> <partition> <offset>'");
            }
            try {
                TopicPartition tp = new TopicPartition(fields[0], Integer.parseInt(fields[1]));
                return Map.entry(tp, Long.parseLong(fields[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("partition and offset must be integers", e);
            }
        }
    }
}
