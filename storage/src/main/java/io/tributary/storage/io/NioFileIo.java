package io.tributary.storage.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** {@link FileIo} over java.nio; see {@link FileIo#system()}. Stateless and thread-safe. */
final class NioFileIo implements FileIo {

    static final NioFileIo INSTANCE = new NioFileIo();

    private NioFileIo() {
    }

    @Override
    public FileHandle open(Path file, OpenOption... options) throws IOException {
        return new ChannelHandle(FileChannel.open(file, options));
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        // rename(2) replaces the target atomically on POSIX file systems.
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return Files.deleteIfExists(path);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return Files.isDirectory(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return Files.size(file);
    }

    private record ChannelHandle(FileChannel channel) implements FileHandle {

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return channel.write(src, position);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            channel.truncate(sizeBytes);
        }

        @Override
        public void force() throws IOException {
            channel.force(true);
        }

        @Override
        public MemorySegment map(FileChannel.MapMode mode, long sizeBytes, Arena arena) throws IOException {
            return channel.map(mode, 0, sizeBytes, arena);
        }

        @Override
        public void force(MemorySegment mapped) throws IOException {
            try {
                mapped.force();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
