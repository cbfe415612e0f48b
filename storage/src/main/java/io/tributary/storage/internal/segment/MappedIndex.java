package io.tributary.storage.internal.segment;

import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;

/**
 * A file of fixed-size, big-endian entries, memory-mapped through a shared FFM {@link Arena} so that
 * unmapping is deterministic (closing the arena) rather than left to the garbage collector.
 *
 * <p>An index is either <em>writable</em> (the active segment's: mapped at its preallocated capacity,
 * {@code segment.index.bytes}, so appends never remap) or <em>trimmed</em> (read-only, mapped and sized
 * to exactly its entries). {@link #trimToValidSize()} turns the first into the second when the segment
 * rolls or closes; {@link #resize(int)} goes back when truncation re-activates a segment. On open,
 * the entry count is the file length divided by the entry size, so a file left preallocated by a crash
 * fails the subclasses' sanity checks (zero entries out of order) and gets rebuilt.
 *
 * <p>Thread-safe: lookups hold the read lock, so a remap or close (write lock) never pulls the
 * mapping out from under a reader. Appends come from the single writer of the owning segment.
 */
public abstract class MappedIndex implements Closeable {

    protected static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    protected static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    protected final long baseOffset;
    private final int entryBytes;
    private final FileIo io;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final boolean partialEntryAtOpen;
    private Path file;
    private FileHandle handle;
    private Arena arena;
    private MemorySegment memory;
    private boolean writable;
    private int maxEntries;
    private volatile int entries;

    protected MappedIndex(FileIo io, Path file, long baseOffset, int entryBytes, int maxIndexBytes,
            boolean writable) throws IOException {
        this.io = io;
        this.file = file;
        this.baseOffset = baseOffset;
        this.entryBytes = entryBytes;
        this.handle = io.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long lengthBytes = handle.size();
            this.entries = (int) Math.min(lengthBytes / entryBytes, Integer.MAX_VALUE);
            this.partialEntryAtOpen = lengthBytes % entryBytes != 0;
            map(writable, maxIndexBytes);
        } catch (IOException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    public Path file() {
        lock.readLock().lock();
        try {
            return file;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int entries() {
        return entries;
    }

    public int maxEntries() {
        lock.readLock().lock();
        try {
            return maxEntries;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether no further entry fits; the owning segment rolls instead of appending more. */
    public boolean isFull() {
        return entries >= maxEntries();
    }

    /** Bytes the valid entries occupy. */
    public long sizeInBytes() {
        return (long) entries * entryBytes;
    }

    /** Whether the index is open and mapped, i.e. usable (a failed remap leaves it unmapped). */
    public boolean isMapped() {
        lock.readLock().lock();
        try {
            return handle != null && memory != null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether the file's length was not a whole number of entries when it was opened. */
    protected boolean hadPartialEntryAtOpen() {
        return partialEntryAtOpen;
    }

    /** Drops every entry (for a rebuild); the file keeps its capacity. */
    public void reset() {
        lock.writeLock().lock();
        try {
            entries = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Keeps only the first {@code count} entries. */
    protected void truncateEntries(int count) {
        lock.writeLock().lock();
        try {
            entries = Math.min(entries, count);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Unmaps, cuts the file to the valid entries and remaps it read-only. */
    public void trimToValidSize() throws IOException {
        lock.writeLock().lock();
        try {
            ensureHandle();
            if (writable) {
                unmap();
                handle.truncate(sizeInBytes());
                map(false, 0);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Makes the index writable again with room for {@code maxIndexBytes} of entries. */
    public void resize(int maxIndexBytes) throws IOException {
        lock.writeLock().lock();
        try {
            ensureHandle();
            unmap();
            handle.truncate(sizeInBytes());
            map(true, maxIndexBytes);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Forces the entries to disk: msync of a writable mapping, then fsync of the file, which also covers
     * entries written through an earlier mapping before a trim and the file's new length.
     */
    public void force() throws IOException {
        lock.readLock().lock();
        try {
            ensureOpen();
            if (writable) {
                handle.force(memory);
            }
            handle.force();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Renames the file, e.g. to {@code .deleted}; the mapping stays valid. */
    public void renameTo(Path target) throws IOException {
        lock.writeLock().lock();
        try {
            io.move(file, target);
            file = target;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Trims a writable index, unmaps and closes the file. Idempotent. */
    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (handle == null) {
                return;
            }
            try {
                if (writable) {
                    unmap();
                    handle.truncate(sizeInBytes());
                }
            } finally {
                unmap();
                handle.close();
                handle = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Closes the index and deletes its file. */
    public void closeAndDelete() throws IOException {
        close();
        io.deleteIfExists(file());
    }

    /** Reads a long field of entry {@code index}; call with the read lock held (see {@link #search}). */
    protected long readLong(int index, int fieldOffset) {
        return memory.get(LONG, (long) index * entryBytes + fieldOffset);
    }

    protected int readInt(int index, int fieldOffset) {
        return memory.get(INT, (long) index * entryBytes + fieldOffset);
    }

    /** Runs {@code reader} under the read lock against the current mapping. */
    protected <T> T read(Supplier<T> reader) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The index of the last entry whose key is at most {@code target}, or -1; keys must not decrease.
     * Call inside {@link #read}.
     */
    protected int lastAtOrBelow(long target, IntToLongFunction key) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (key.applyAsLong(mid) <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Writes one entry at the end; {@code writer} receives the entry's byte offset in the mapping. */
    protected void appendEntry(EntryWriter writer) throws IOException {
        lock.writeLock().lock();
        try {
            ensureOpen();
            if (!writable || entries >= maxEntries) {
                throw new IllegalStateException("no room in index " + file + " (" + entries + "/" + maxEntries
                        + " entries, writable=" + writable + ")");
            }
            try {
                writer.write(memory, (long) entries * entryBytes);
            } catch (InternalError e) {
                // A store into a sparse mapped page on a full disk faults (SIGBUS); the JVM reports it this way.
                throw new IOException("write to mapped index " + file + " failed", e);
            }
            entries++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Writes the fields of one entry. */
    @FunctionalInterface
    protected interface EntryWriter {
        void write(MemorySegment memory, long at);
    }

    private void map(boolean asWritable, int maxIndexBytes) throws IOException {
        int capacity = asWritable ? Math.max(maxIndexBytes / entryBytes, entries) : entries;
        Arena newArena = Arena.ofShared();
        try {
            FileChannel.MapMode mode = asWritable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY;
            memory = handle.map(mode, (long) capacity * entryBytes, newArena);
        } catch (IOException | RuntimeException e) {
            newArena.close();
            throw e;
        }
        arena = newArena;
        writable = asWritable;
        maxEntries = capacity;
    }

    private void unmap() {
        if (arena != null) {
            arena.close();
            arena = null;
            memory = null;
        }
    }

    private void ensureHandle() {
        if (handle == null) {
            throw new IllegalStateException("index " + file + " is closed");
        }
    }

    private void ensureOpen() {
        if (handle == null) {
            throw new IllegalStateException("index " + file + " is closed");
        }
        if (memory == null) {
            throw new IllegalStateException("index " + file + " is unmapped after a failed remap");
        }
    }
}
