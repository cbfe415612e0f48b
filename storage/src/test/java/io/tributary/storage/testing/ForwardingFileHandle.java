package io.tributary.storage.testing;

import io.tributary.storage.io.FileHandle;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A {@link FileHandle} that forwards every call; test doubles override only what they intercept. */
public class ForwardingFileHandle implements FileHandle {

    protected final FileHandle inner;

    public ForwardingFileHandle(FileHandle inner) {
        this.inner = inner;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return inner.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return inner.write(src, position);
    }

    @Override
    public long size() throws IOException {
        return inner.size();
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        inner.truncate(sizeBytes);
    }

    @Override
    public void force() throws IOException {
        inner.force();
    }

    @Override
    public MemorySegment map(FileChannel.MapMode mode, long sizeBytes, Arena arena) throws IOException {
        return inner.map(mode, sizeBytes, arena);
    }

    @Override
    public void force(MemorySegment mapped) throws IOException {
        inner.force(mapped);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
