package io.tributary.storage.testing;

import io.tributary.storage.io.FileHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a power loss would leave of one file, for {@link PowerLossFileIo}: the content the file had
 * when its last successful fsync (or msync) <em>began</em> — a write racing with an fsync is not
 * covered by it. The durable content is known in one of two ways:
 *
 * <ul>
 *   <li><b>Journal</b> (the default): the durable length, plus an undo log of the durable bytes that
 *       writes and truncations replaced since. Cheap for append-only files such as segments, whose
 *       appends beyond the durable length need no copy at all.
 *   <li><b>Image</b>, once the file is mapped READ_WRITE: stores through a mapping bypass the seam,
 *       so each fsync and msync copies the whole file (the storage indexes are the only such files,
 *       and their forces are rare). Trailing zeros are not copied, so a preallocated index costs only
 *       its entries.
 * </ul>
 *
 * <p>Thread-safe: the bookkeeping is guarded by {@code this}; the real fsync runs outside it, so
 * appends go on while it runs, as they do on a real disk.
 */
final class TrackedFile {

    /** A file's whole content: {@code content} followed by zeros up to {@code length}. */
    record Image(byte[] content, long length) {
    }

    /** Durable bytes that a write or truncation replaced, in the order they were saved. */
    private record Undo(long sequence, long position, byte[] bytes) {
    }

    /** What an fsync in progress covers: the file as it was when the fsync began. */
    private record Sync(long number, long undoMark, long length, Image image) {
    }

    /** An fsync-like call on the real handle. */
    @FunctionalInterface
    interface Force {
        void run(FileHandle inner) throws IOException;
    }

    private final PowerSupply power;
    private final List<Undo> undo = new ArrayList<>();
    private long durableLength;
    private Image image;
    private long undoSequence;
    private long syncsStarted;
    private long appliedSync;
    private int syncsInFlight;
    /** The largest length an fsync in flight covers: writes below it must save what they replace. */
    private long syncingLength;

    /**
     * @param durableLength the length that would survive a power loss now (0 for a new file)
     * @param power the supply of the disk holding the file
     */
    TrackedFile(long durableLength, PowerSupply power) {
        this.durableLength = durableLength;
        this.power = power;
    }

    /** Writes, then runs {@code afterWrite} before any fsync of this file can begin. */
    synchronized int write(FileHandle inner, ByteBuffer src, long position, Runnable afterWrite) throws IOException {
        if (image == null) {
            saveDurableBytes(inner, position, src.remaining());
        }
        int written = inner.write(src, position);
        afterWrite.run();
        return written;
    }

    synchronized void truncate(FileHandle inner, long sizeBytes) throws IOException {
        long size = inner.size();
        if (image == null && sizeBytes < size) {
            saveDurableBytes(inner, sizeBytes, size - sizeBytes);
        }
        inner.truncate(sizeBytes);
    }

    /** Runs {@code force} and, if it succeeds, makes durable what the file held when it began. */
    void force(FileHandle inner, Force force) throws IOException {
        Sync sync = beginSync(inner);
        boolean succeeded = false;
        try {
            force.run(inner);
            succeeded = true;
        } finally {
            endSync(sync, succeeded);
        }
    }

    /** Switches to image mode before a READ_WRITE mapping lets stores bypass the seam. */
    synchronized void beforeWritableMapping(FileHandle inner) throws IOException {
        if (image == null) {
            image = durableImage(inner);
            undo.clear();
        }
    }

    /** The content a power loss would leave now. */
    synchronized Image durableImage(FileHandle inner) throws IOException {
        if (image != null) {
            return image;
        }
        byte[] content = new byte[Math.toIntExact(durableLength)];
        inner.readFully(ByteBuffer.wrap(content, 0, (int) Math.min(durableLength, inner.size())), 0);
        // Newest first, so that the oldest saved copy of a byte — the durable one — is applied last.
        for (int i = undo.size() - 1; i >= 0; i--) {
            Undo saved = undo.get(i);
            if (saved.position() < durableLength) {
                int length = (int) Math.min(saved.bytes().length, durableLength - saved.position());
                System.arraycopy(saved.bytes(), 0, content, (int) saved.position(), length);
            }
        }
        return new Image(withoutTrailingZeros(content), durableLength);
    }

    /**
     * Puts the durable content back through {@code handle} (call with the power off and the file's
     * other handles closed); returns the bytes cut beyond the durable length (0 in image mode).
     */
    synchronized long restore(FileHandle handle) throws IOException {
        if (image != null) {
            writeImage(handle, image);
            return 0;
        }
        long size = handle.size();
        for (int i = undo.size() - 1; i >= 0; i--) {
            Undo saved = undo.get(i);
            handle.writeFully(ByteBuffer.wrap(saved.bytes()), saved.position());
        }
        handle.truncate(durableLength);
        return Math.max(0, size - durableLength);
    }

    /** Makes {@code handle}'s file hold exactly {@code image}. */
    static void writeImage(FileHandle handle, Image image) throws IOException {
        handle.truncate(image.content().length);
        handle.writeFully(ByteBuffer.wrap(image.content()), 0);
        if (image.length() > image.content().length) {
            handle.writeFully(ByteBuffer.allocate(1), image.length() - 1);
        }
    }

    /** The whole current content of {@code handle}'s file. */
    static Image readImage(FileHandle handle) throws IOException {
        long size = handle.size();
        byte[] content = new byte[Math.toIntExact(size)];
        handle.readFully(ByteBuffer.wrap(content), 0);
        return new Image(withoutTrailingZeros(content), size);
    }

    private synchronized Sync beginSync(FileHandle inner) throws IOException {
        // The power may have been cut from inside a write since this fsync's call was let through.
        if (!power.isOn()) {
            throw new IOException("power lost before the fsync began");
        }
        long length = inner.size();
        Sync sync = new Sync(++syncsStarted, undoSequence, length, image == null ? null : readImage(inner));
        syncsInFlight++;
        syncingLength = Math.max(syncingLength, length);
        return sync;
    }

    private synchronized void endSync(Sync sync, boolean succeeded) {
        syncsInFlight--;
        // A later fsync that finished first already covers more: an earlier one must not undo that.
        if (succeeded && sync.number() > appliedSync) {
            appliedSync = sync.number();
            durableLength = sync.length();
            undo.removeIf(saved -> saved.sequence() < sync.undoMark());
            if (image != null && sync.image() != null) {
                image = sync.image();
            }
        }
        if (syncsInFlight == 0) {
            syncingLength = 0;
        }
    }

    /** Saves the bytes of [position, position + length) that are durable, or that an fsync in flight may make so. */
    private void saveDurableBytes(FileHandle inner, long position, long length) throws IOException {
        long protectedEnd = Math.min(Math.max(durableLength, syncingLength), inner.size());
        long end = Math.min(position + length, protectedEnd);
        if (end <= position) {
            return;
        }
        ByteBuffer saved = ByteBuffer.allocate(Math.toIntExact(end - position));
        inner.readFully(saved, position);
        undo.add(new Undo(undoSequence++, position, saved.array()));
    }

    private static byte[] withoutTrailingZeros(byte[] content) {
        int end = content.length;
        while (end > 0 && content[end - 1] == 0) {
            end--;
        }
        return end == content.length ? content : Arrays.copyOf(content, end);
    }
}
