package io.tributary.storage.internal.checkpoint;

import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code partition.metadata} in a partition directory: the id of the topic the data belongs to, so
 * a partition of a deleted and re-created topic with the same name is never mistaken for the new
 * one. Format (Kafka's): {@code version: 0} then {@code topic_id: <id>}. Written atomically.
 */
public final class PartitionMetadataFile {

    public static final String FILE_NAME = "partition.metadata";

    private static final int VERSION = 0;

    private final FileIo io;
    private final Path file;

    public PartitionMetadataFile(FileIo io, Path partitionDir) {
        this.io = io;
        this.file = partitionDir.resolve(FILE_NAME);
    }

    public void write(String topicId) throws IOException {
        String text = "version: " + VERSION + "\ntopic_id: " + topicId + "\n";
        AtomicFile.write(io, file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The topic id; empty when the file does not exist. Throws CorruptCheckpointException when malformed. */
    public Optional<String> read() throws IOException {
        if (!io.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = new String(AtomicFile.read(io, file), StandardCharsets.UTF_8).lines().toList();
        String version = value(lines, 0, "version");
        if (!version.equals(Integer.toString(VERSION))) {
            throw new CorruptCheckpointException(file, 1, "unsupported version '" + version + "'");
        }
        return Optional.of(value(lines, 1, "topic_id"));
    }

    private String value(List<String> lines, int index, String key) {
        String prefix = key + ":";
        if (index >= lines.size() || !lines.get(index).startsWith(prefix)) {
            throw new CorruptCheckpointException(file, index + 1, "expected '" + key + ": <value>'");
        }
        String value = lines.get(index).substring(prefix.length()).trim();
        if (value.isEmpty()) {
            throw new CorruptCheckpointException(file, index + 1, "empty " + key);
        }
        return value;
    }
}
