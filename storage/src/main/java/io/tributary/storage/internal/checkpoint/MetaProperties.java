package io.tributary.storage.internal.checkpoint;

import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code meta.properties} at the root of a log directory: which cluster and node the directory
 * belongs to, and the directory's own id. Java properties syntax, keys {@code version} (1),
 * {@code cluster.id}, {@code node.id}, {@code directory.id}, as in KRaft-mode Kafka. Written
 * atomically, once, when the directory is first used.
 */
public record MetaProperties(String clusterId, int nodeId, String directoryId) {

    public static final String FILE_NAME = "meta.properties";
    public static final int VERSION = 1;

    /** The file's content, or empty when it does not exist. Throws CorruptCheckpointException when malformed. */
    public static Optional<MetaProperties> read(FileIo io, Path logDir) throws IOException {
        Path file = logDir.resolve(FILE_NAME);
        if (!io.exists(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        props.load(new StringReader(new String(AtomicFile.read(io, file), StandardCharsets.UTF_8)));
        String version = required(props, file, "version");
        if (!version.equals(Integer.toString(VERSION))) {
            throw new CorruptCheckpointException(file, 1, "unsupported version '" + version + "'");
        }
        String nodeId = required(props, file, "node.id");
        try {
            return Optional.of(new MetaProperties(required(props, file, "cluster.id"), Integer.parseInt(nodeId),
                    required(props, file, "directory.id")));
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(file, 1, "node.id is not an integer: '" + nodeId + "'");
        }
    }

    public void write(FileIo io, Path logDir) throws IOException {
        String text = "version=" + VERSION + "\ncluster.id=" + clusterId + "\nnode.id=" + nodeId
                + "\ndirectory.id=" + directoryId + "\n";
        AtomicFile.write(io, logDir.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
    }

    // Properties files have no reliable line numbers once parsed; line 1 stands for "the file".
    private static String required(Properties props, Path file, String key) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new CorruptCheckpointException(file, 1, "missing '" + key + "'");
        }
        return value.trim();
    }
}
