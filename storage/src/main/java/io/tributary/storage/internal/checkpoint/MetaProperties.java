package io.tributary.storage.internal.checkpoint;

import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

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

    /**
     * Creates {@code meta.properties} in {@code logDir} when it is missing (with a new random directory
     * id), or checks that it names {@code clusterId} and {@code nodeId} and a directory id not yet in
     * {@code directoryIds}. Adds the directory id to {@code directoryIds}.
     *
     * @throws InvalidConfigurationException when the directory belongs elsewhere or repeats an id
     */
    public static MetaProperties ensure(FileIo io, Path logDir, String clusterId, int nodeId, Set<String> directoryIds)
            throws IOException {
        Optional<MetaProperties> existing = read(io, logDir);
        if (existing.isEmpty()) {
            MetaProperties created = new MetaProperties(clusterId, nodeId, newDirectoryId());
            created.write(io, logDir);
            directoryIds.add(created.directoryId());
            return created;
        }
        MetaProperties meta = existing.get();
        if (!meta.clusterId().equals(clusterId) || meta.nodeId() != nodeId) {
            throw new InvalidConfigurationException("log directory " + logDir + " belongs to cluster "
                    + meta.clusterId() + " node " + meta.nodeId() + " (meta.properties), but this is cluster "
                    + clusterId + " node " + nodeId);
        }
        if (!directoryIds.add(meta.directoryId())) {
            throw new InvalidConfigurationException("log directory " + logDir + " has directory.id "
                    + meta.directoryId() + ", already used by another log directory of this node");
        }
        return meta;
    }

    /** A random id in the form Kafka uses: 16 random bytes, base64url without padding. */
    private static String newDirectoryId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
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
