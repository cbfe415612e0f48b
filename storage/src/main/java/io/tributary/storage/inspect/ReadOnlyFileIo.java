package io.tributary.storage.inspect;

import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The real file system, read-only: every file is opened for reading whatever options the storage
 * classes ask for (so inspecting never creates a file, nor needs write permission), and every
 * mutation fails with an {@link AccessDeniedException} naming the path. Being an I/O error, a refused
 * mutation takes the storage classes' ordinary error path, so a dump reports it as a problem of that
 * file rather than changing anything. Stateless and thread-safe.
 */
final class ReadOnlyFileIo implements FileIo {

    static final ReadOnlyFileIo INSTANCE = new ReadOnlyFileIo();

    private final FileIo system = FileIo.system();

    private ReadOnlyFileIo() {
    }

    @Override
    public FileHandle open(Path file, OpenOption... options) throws IOException {
        if (!system.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return system.open(file, StandardOpenOption.READ);
    }

    @Override
    public void move(Path source, Path target) throws AccessDeniedException {
        throw refused(source, "rename");
    }

    @Override
    public boolean deleteIfExists(Path path) throws AccessDeniedException {
        throw refused(path, "delete");
    }

    @Override
    public void fsyncDirectory(Path dir) throws AccessDeniedException {
        throw refused(dir, "fsync");
    }

    @Override
    public void createDirectories(Path dir) throws AccessDeniedException {
        throw refused(dir, "create");
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return system.list(dir);
    }

    @Override
    public boolean exists(Path path) {
        return system.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return system.isDirectory(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return system.size(file);
    }

    private static AccessDeniedException refused(Path path, String operation) {
        return new AccessDeniedException(path.toString(), null, "inspection is read-only: cannot " + operation);
    }
}
