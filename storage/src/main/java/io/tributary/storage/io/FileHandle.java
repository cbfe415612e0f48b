package io.tributary.storage.io;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An open file, obtained from {@link FileIo#open}. All reads and writes are positional, so one
 * handle can be shared by a writer and concurrent readers. Thread-safe.
 */
public interface FileHandle extends Closeable {

    /** Reads into {@code dst} from {@code position}; returns the bytes read, or -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes from {@code src} at {@code position}; returns the bytes written, possibly fewer than remaining. */
    int write(ByteBuffer src, long position) throws IOException;

    long size() throws IOException;

    /** Cuts the file to {@code sizeBytes}; does nothing when it is already that small. */
    void truncate(long sizeBytes) throws IOException;

    /** fsync: forces the file's content and metadata to the device. Never retried by callers. */
    void force() throws IOException;

    /**
     * Maps {@code sizeBytes} from the start of the file into memory owned by {@code arena}; closing the
     * arena unmaps it. A READ_WRITE mapping larger than the file grows the file.
     */
    MemorySegment map(FileChannel.MapMode mode, long sizeBytes, Arena arena) throws IOException;

    /** msync: forces the changes made through a mapping obtained from {@link #map} to the device. */
    void force(MemorySegment mapped) throws IOException;

    /** Fully writes {@code src} at {@code position}, looping over partial writes. */
    default void writeFully(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += write(src, at);
        }
    }

    /**
     * Reads from {@code position} until {@code dst} is full or the file ends; returns the bytes read.
     */
    default int readFully(ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = read(dst, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
