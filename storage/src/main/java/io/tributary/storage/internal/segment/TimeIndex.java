package io.tributary.storage.internal.segment;

import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A segment's sparse time index ({@code .timeindex}): 12-byte entries of an 8-byte timestamp and a
 * 4-byte offset relative to the segment's base offset. An entry (T, O) says: T is the largest batch
 * max timestamp in the segment up to offset O, first reached by the batch ending at O. Timestamps
 * strictly increase and offsets do not decrease, so to find the first batch with max timestamp at
 * least X, take the last entry with timestamp at most X and scan forward from the batch ending at
 * its offset.
 *
 * <p>The last slot is reserved: {@link #isFull()} reports full one entry early so that the final
 * entry written when the segment rolls (recording the segment's exact max timestamp) always fits.
 * Thread-safety as for {@link MappedIndex}.
 */
public final class TimeIndex extends MappedIndex {

    public static final int ENTRY_BYTES = 12;
    public static final long NO_TIMESTAMP = -1L;

    /** A timestamp and the absolute offset of the batch that first reached it. */
    public record Entry(long timestampMs, long offset) {
    }

    public TimeIndex(FileIo io, Path file, long baseOffset, int maxIndexBytes, boolean writable) throws IOException {
        super(io, file, baseOffset, ENTRY_BYTES, maxIndexBytes, writable);
    }

    @Override
    public boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * Adds (timestampMs, offset) when the timestamp is larger than the last entry's. Without
     * {@code useReservedSlot} nothing is added to a full index; with it the reserved last slot may be used.
     */
    public void maybeAppend(long timestampMs, long offset, boolean useReservedSlot) throws IOException {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + offset + " does not fit an index based at " + baseOffset);
        }
        Optional<Entry> last = lastEntry();
        if (last.isPresent() && timestampMs <= last.get().timestampMs()) {
            return;
        }
        if (last.isPresent() && offset < last.get().offset()) {
            throw new IllegalStateException("time index entry (" + timestampMs + ", " + offset
                    + ") goes back from " + last.get() + " in " + file());
        }
        boolean room = useReservedSlot ? entries() < maxEntries() : !isFull();
        if (room) {
            appendEntry((memory, at) -> {
                memory.set(LONG, at, timestampMs);
                memory.set(INT, at + 8, (int) relative);
            });
        }
    }

    /** The last entry with timestamp at most {@code targetMs}, or (NO_TIMESTAMP, baseOffset). */
    public Entry lookup(long targetMs) {
        return read(() -> {
            int index = lastAtOrBelow(targetMs, this::timestampAt);
            return index < 0 ? new Entry(NO_TIMESTAMP, baseOffset) : entryAt(index);
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
     * Checks that the file holds whole entries, timestamps strictly increase, offsets do not decrease
     * and stay within [baseOffset, endOffsetExclusive).
     */
    public void sanityCheck(long endOffsetExclusive) throws CorruptIndexException {
        if (hadPartialEntryAtOpen()) {
            throw new CorruptIndexException(file(), "file length is not a multiple of " + ENTRY_BYTES);
        }
        String problem = read(() -> {
            for (int i = 0; i < entries(); i++) {
                long offset = offsetAt(i);
                if (offset >= endOffsetExclusive) {
                    return "entry " + i + " points at offset " + offset + ", past the segment's end "
                            + endOffsetExclusive;
                }
                if (i > 0 && (timestampAt(i) <= timestampAt(i - 1) || offset < offsetAt(i - 1))) {
                    return "entry " + i + " does not increase over entry " + (i - 1);
                }
            }
            return null;
        });
        if (problem != null) {
            throw new CorruptIndexException(file(), problem);
        }
    }

    private long timestampAt(int index) {
        return readLong(index, 0);
    }

    private long offsetAt(int index) {
        return baseOffset + Integer.toUnsignedLong(readInt(index, 8));
    }

    private Entry entryAt(int index) {
        return new Entry(timestampAt(index), offsetAt(index));
    }
}
