package io.tributary.storage.internal.segment;

import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A segment's sparse offset index ({@code .index}): 8-byte entries of a 4-byte offset relative to
 * the segment's base offset and the 4-byte file position of a batch whose <em>last</em> offset is
 * that offset. Offsets and positions strictly increase. To find the batch holding offset X, take the
 * last entry with offset at most X and scan batch headers forward from its position; the scan is
 * bounded by {@code index.interval.bytes} because an entry is added at least that often.
 *
 * <p>Thread-safety as for {@link MappedIndex}.
 */
public final class OffsetIndex extends MappedIndex {

    public static final int ENTRY_BYTES = 8;

    /** An absolute offset and the file position of the batch it ends. */
    public record Entry(long offset, int position) {
    }

    public OffsetIndex(FileIo io, Path file, long baseOffset, int maxIndexBytes, boolean writable) throws IOException {
        super(io, file, baseOffset, ENTRY_BYTES, maxIndexBytes, writable);
    }

    /**
     * Adds an entry. Programmer errors (not increasing, relative offset overflow, no room) throw
     * IllegalStateException / IllegalArgumentException.
     */
    public void append(long offset, int position) throws IOException {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit an index based at " + baseOffset);
        }
        Optional<Entry> last = lastEntry();
        if (last.isPresent() && (offset <= last.get().offset() || position <= last.get().position())) {
            throw new IllegalStateException("index entry (" + offset + ", " + position + ") does not follow "
                    + last.get() + " in " + file());
        }
        appendEntry((memory, at) -> {
            memory.set(INT, at, (int) relative);
            memory.set(INT, at + 4, position);
        });
    }

    /** The last entry with offset at most {@code targetOffset}, or (baseOffset, 0) when there is none. */
    public Entry lookup(long targetOffset) {
        return read(() -> {
            int index = lastAtOrBelow(targetOffset, this::offsetAt);
            return index < 0 ? new Entry(baseOffset, 0) : entryAt(index);
        });
    }

    public Optional<Entry> lastEntry() {
        return read(() -> entries() == 0 ? Optional.empty() : Optional.of(entryAt(entries() - 1)));
    }

    public Entry entry(int index) {
        return read(() -> entryAt(index));
    }

    /** Drops the entries with offset at least {@code offset}. */
    public void truncateTo(long offset) {
        int keep = read(() -> lastAtOrBelow(offset - 1, this::offsetAt) + 1);
        truncateEntries(keep);
    }

    /**
     * Checks that the file holds whole entries, that offsets and positions strictly increase, and
     * that every position lies inside a log of {@code logSizeBytes}.
     */
    public void sanityCheck(long logSizeBytes) throws CorruptIndexException {
        if (hadPartialEntryAtOpen()) {
            throw new CorruptIndexException(file(), "file length is not a multiple of " + ENTRY_BYTES);
        }
        String problem = read(() -> {
            for (int i = 0; i < entries(); i++) {
                long relative = offsetAt(i) - baseOffset;
                int position = readInt(i, 4);
                if (relative < 0 || position < 0 || position >= logSizeBytes) {
                    return "entry " + i + " (" + offsetAt(i) + ", " + position + ") lies outside the log of "
                            + logSizeBytes + " bytes";
                }
                if (i > 0 && (offsetAt(i) <= offsetAt(i - 1) || position <= readInt(i - 1, 4))) {
                    return "entry " + i + " does not increase over entry " + (i - 1);
                }
            }
            return null;
        });
        if (problem != null) {
            throw new CorruptIndexException(file(), problem);
        }
    }

    private long offsetAt(int index) {
        return baseOffset + Integer.toUnsignedLong(readInt(index, 0));
    }

    private Entry entryAt(int index) {
        return new Entry(offsetAt(index), readInt(index, 4));
    }
}
