package io.tributary.storage.internal.checkpoint;

import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that are atomic across crashes: the new content goes to {@code <name>.tmp},
 * which is fsynced, renamed over {@code <name>}, and then the directory is fsynced so the rename
 * itself is durable. A reader sees either the old or the new content, never a mix; a crash leaves at
 * most a stale {@code .tmp}, which readers ignore and loaders delete.
 */
public final class AtomicFile {

    public static final String TMP_SUFFIX = ".tmp";

    private AtomicFile() {
    }

    /** Atomically replaces {@code file}'s content; durable when this returns. */
    public static void write(FileIo io, Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + TMP_SUFFIX);
        try (FileHandle handle = io.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            handle.writeFully(ByteBuffer.wrap(content), 0);
            handle.force();
        }
        io.move(tmp, file);
        io.fsyncDirectory(file.getParent());
    }

    /** The whole content of a (small) file. */
    public static byte[] read(FileIo io, Path file) throws IOException {
        try (FileHandle handle = io.open(file, StandardOpenOption.READ)) {
            long size = handle.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(file + " is too large to be a checkpoint file: " + size + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            handle.readFully(buffer, 0);
            return buffer.array();
        }
    }
}
