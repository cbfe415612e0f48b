package io.tributary.storage.io;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The storage module's only door to the file system. Every open, read, write, fsync, truncate,
 * rename, delete and directory fsync made by the log goes through an instance of this interface,
 * so tests can substitute an implementation that injects failed writes, failed fsyncs, torn writes,
 * full disks, and crashes that lose whatever was not fsynced.
 *
 * <p>Implementations must be thread-safe. Methods report failures as {@link IOException}; the
 * callers decide what a failure means (for the log: the log directory goes offline for good).
 */
public interface FileIo {

    /** The real file system (java.nio). */
    static FileIo system() {
        return NioFileIo.INSTANCE;
    }

    /** Opens (and with {@code CREATE} options, creates) a file; options as for {@code FileChannel.open}. */
    FileHandle open(Path file, OpenOption... options) throws IOException;

    /**
     * Renames {@code source} to {@code target} atomically, replacing {@code target} if it exists.
     * The rename is durable only after {@link #fsyncDirectory} of the parent.
     */
    void move(Path source, Path target) throws IOException;

    /** Deletes a file or an empty directory; returns false when it did not exist. */
    boolean deleteIfExists(Path path) throws IOException;

    /** Forces the directory entry changes (creations, renames, deletions) in {@code dir} to disk. */
    void fsyncDirectory(Path dir) throws IOException;

    /** Creates a directory and any missing parents; does nothing when it exists. */
    void createDirectories(Path dir) throws IOException;

    /** The entries of a directory, sorted by name. */
    List<Path> list(Path dir) throws IOException;

    boolean exists(Path path);

    boolean isDirectory(Path path);

    /** The size of a file in bytes. */
    long size(Path file) throws IOException;
}
