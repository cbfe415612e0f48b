package io.tributary.storage.testing;

import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link FileIo} that forwards every call to the real file system; test doubles extend it and
 * override only the calls they intercept (faults, recording).
 */
public abstract class ForwardingFileIo implements FileIo {

    protected final FileIo real = FileIo.system();

    @Override
    public FileHandle open(Path file, OpenOption... options) throws IOException {
        return real.open(file, options);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        real.move(source, target);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return real.deleteIfExists(path);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        real.fsyncDirectory(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        real.createDirectories(dir);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public boolean exists(Path path) {
        return real.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return real.isDirectory(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return real.size(file);
    }
}
