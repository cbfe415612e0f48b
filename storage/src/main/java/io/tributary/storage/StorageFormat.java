package io.tributary.storage;

import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.StorageException;
import io.tributary.storage.internal.checkpoint.MetaProperties;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;

/** Formatting a directory for a cluster and node: its {@code meta.properties}. */
public final class StorageFormat {

    private StorageFormat() {
    }

    /**
     * Formats {@code dir} for {@code clusterId} and {@code nodeId}: writes its meta.properties, or
     * checks the one already there.
     *
     * @throws InvalidConfigurationException when the directory belongs to another cluster or node
     * @throws StorageException when it cannot be written
     */
    public static void format(Path dir, String clusterId, int nodeId, FileIo io) {
        try {
            io.createDirectories(dir);
            MetaProperties.ensure(io, dir, clusterId, nodeId, new HashSet<>());
        } catch (IOException e) {
            throw new StorageException("cannot format " + dir + ": " + e.getMessage(), e);
        }
    }
}
