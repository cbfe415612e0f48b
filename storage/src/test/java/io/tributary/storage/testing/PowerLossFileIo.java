package io.tributary.storage.testing;

import io.tributary.storage.io.FileHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link io.tributary.storage.io.FileIo} over the real file system that can lose power (STYLE.md
 * lesson 4): once its {@link PowerSupply} is cut, every call fails, and {@link #dropUnsyncedData()}
 * then puts the files back the way the disk would hold them after the power loss — assuming the
 * page cache wrote nothing back on its own, the most that can be lost.
 *
 * <p>The model:
 * <ul>
 *   <li><b>File content</b> is durable as it was when the file's last successful fsync began; see
 *       {@link TrackedFile}. Appends and overwrites since are undone, truncations since are undone
 *       (their cut bytes come back). Files mapped READ_WRITE (the indexes) are restored from a copy
 *       taken at each fsync or msync, because stores through the mapping bypass this seam.
 *   <li><b>Directory entries</b>: a file created through {@link #open} and a {@link #move} are durable
 *       only after an {@link #fsyncDirectory} of the parent directory (of both parents, for a move
 *       between directories). Undone, newest first: a created file is deleted, a moved one moved back,
 *       and the file a move replaced gets its durable content back — so an atomic checkpoint write
 *       (temp file, fsync, rename) whose directory fsync never came leaves the old checkpoint.
 *   <li>Durable at once, for simplicity: {@link #createDirectories} and {@link #deleteIfExists} — a
 *       deleted file is never resurrected (its content is not kept), and deleting a file makes its
 *       pending creation or move durable.
 *   <li>A file this instance never opened is durable as it is.
 * </ul>
 * The power goes off when the test cuts the supply, or at an armed point: right after a write
 * ({@link #cutPowerAfterNextWrite}), so that the cut is sure to catch unsynced data.
 *
 * <p>Not modelled: sector-torn writes, a page cache that writes back part of the unsynced data (the
 * survivors of a real power loss lie between the last fsync and the last write, and this keeps the
 * former), and pending creations of files inside a directory that was moved afterwards (they are
 * looked for under their old path). Only calls through this instance are seen.
 *
 * <p>Thread-safe. Lock order: the supply's lock, then the namespace, then a {@link TrackedFile}.
 */
public final class PowerLossFileIo extends ForwardingFileIo {

    /**
     * What {@link #dropUnsyncedData()} undid.
     *
     * @param bytesCut unsynced bytes cut from files written through write() (mapped files not counted)
     */
    public record Report(int filesCut, long bytesCut, int creationsUndone, int movesUndone) {
    }

    /** A directory entry change not yet made durable by an fsync of its directories. */
    private static final class PendingEntry {
        final long sequence;
        final Path source;
        final Path target;
        final TrackedFile.Image replaced;
        final Set<Path> unsyncedDirs = new HashSet<>();

        PendingEntry(long sequence, Path source, Path target, TrackedFile.Image replaced) {
            this.sequence = sequence;
            this.source = source;
            this.target = target;
            this.replaced = replaced;
            unsyncedDirs.add(target.getParent());
            if (source != null) {
                unsyncedDirs.add(source.getParent());
            }
        }
    }

    private final PowerSupply power;
    private final Object namespace = new Object();
    private final Map<Path, TrackedFile> files = new HashMap<>();
    private final List<PendingEntry> pending = new ArrayList<>();
    private final AtomicReference<String> cutAfterWriteTo = new AtomicReference<>();
    private long entrySequence;

    /** A disk on a supply of its own. */
    public PowerLossFileIo() {
        this(new PowerSupply());
    }

    /** A disk fed by {@code power}, which may feed other disks too. */
    public PowerLossFileIo(PowerSupply power) {
        this.power = power;
    }

    public PowerSupply power() {
        return power;
    }

    /**
     * Arms a power cut: the next write to a file whose name ends with {@code suffix} reaches the page
     * cache, and the supply goes off at that instant — no fsync can cover that write any more, so the
     * cut certainly catches unsynced data. Calls already in flight on the supply finish normally.
     */
    public void cutPowerAfterNextWrite(String suffix) {
        cutAfterWriteTo.set(suffix);
    }

    /**
     * Rolls every file back to what the disk durably holds, then forgets the history: what is on
     * disk now counts as durable. The power must be cut (calls in flight would race with this), and
     * the files should be closed; the power stays off.
     */
    public Report dropUnsyncedData() throws IOException {
        if (power.isOn()) {
            throw new IllegalStateException("cut the power first: calls could still reach the disk");
        }
        // Waits for calls that were in flight when the power was cut from inside a write.
        power.cut();
        synchronized (namespace) {
            int filesCut = 0;
            long bytesCut = 0;
            for (Map.Entry<Path, TrackedFile> entry : files.entrySet()) {
                if (!real.exists(entry.getKey()) || real.isDirectory(entry.getKey())) {
                    continue;
                }
                try (FileHandle handle = real.open(entry.getKey(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    long cut = entry.getValue().restore(handle);
                    filesCut += cut > 0 ? 1 : 0;
                    bytesCut += cut;
                }
            }
            int creations = 0;
            int moves = 0;
            for (int i = pending.size() - 1; i >= 0; i--) {
                PendingEntry undone = pending.get(i);
                undo(undone);
                creations += undone.source == null ? 1 : 0;
                moves += undone.source == null ? 0 : 1;
            }
            files.clear();
            pending.clear();
            return new Report(filesCut, bytesCut, creations, moves);
        }
    }

    private void undo(PendingEntry entry) throws IOException {
        if (entry.source == null) {
            real.deleteIfExists(entry.target);
            return;
        }
        real.move(entry.target, entry.source);
        if (entry.replaced != null) {
            try (FileHandle handle = real.open(entry.target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                TrackedFile.writeImage(handle, entry.replaced);
            }
        }
    }

    @Override
    public FileHandle open(Path file, OpenOption... options) throws IOException {
        Path key = key(file);
        return power.powered("open " + key, () -> {
            Set<OpenOption> remaining = new LinkedHashSet<>(List.of(options));
            // Truncating on open must save what it cuts, as any truncation does: done through the handle.
            boolean truncate = remaining.contains(StandardOpenOption.WRITE)
                    && remaining.remove(StandardOpenOption.TRUNCATE_EXISTING);
            synchronized (namespace) {
                boolean existed = real.exists(key);
                FileHandle inner = real.open(key, remaining.toArray(OpenOption[]::new));
                try {
                    TrackedFile tracked = existed ? files.get(key) : null;
                    if (tracked == null) {
                        tracked = new TrackedFile(existed ? inner.size() : 0, power);
                        files.put(key, tracked);
                    }
                    if (!existed) {
                        pending.add(new PendingEntry(++entrySequence, null, key, null));
                    }
                    if (truncate) {
                        tracked.truncate(inner, 0);
                    }
                    return new Handle(key, inner, tracked);
                } catch (IOException | RuntimeException e) {
                    inner.close();
                    throw e;
                }
            }
        });
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        Path from = key(source);
        Path to = key(target);
        power.powered("move " + from + " to " + to, () -> {
            synchronized (namespace) {
                TrackedFile.Image replaced = real.exists(to) && !real.isDirectory(to) ? durableImage(to) : null;
                real.move(from, to);
                rekey(from, to);
                pending.add(new PendingEntry(++entrySequence, from, to, replaced));
            }
            return null;
        });
    }

    private TrackedFile.Image durableImage(Path file) throws IOException {
        try (FileHandle handle = real.open(file, StandardOpenOption.READ)) {
            TrackedFile tracked = files.get(file);
            return tracked == null ? TrackedFile.readImage(handle) : tracked.durableImage(handle);
        }
    }

    /** Moves the tracking of {@code from} (a file, or a directory and everything below it) to {@code to}. */
    private void rekey(Path from, Path to) {
        files.remove(to);
        Map<Path, TrackedFile> moved = new HashMap<>();
        files.entrySet().removeIf(entry -> {
            if (entry.getKey().startsWith(from)) {
                moved.put(to.resolve(from.relativize(entry.getKey())), entry.getValue());
                return true;
            }
            return false;
        });
        files.putAll(moved);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        Path key = key(path);
        return power.powered("delete " + key, () -> {
            synchronized (namespace) {
                boolean deleted = real.deleteIfExists(key);
                files.remove(key);
                pending.removeIf(entry -> entry.target.equals(key));
                return deleted;
            }
        });
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        Path key = key(dir);
        power.powered("fsync directory " + key, () -> {
            long covered;
            synchronized (namespace) {
                covered = entrySequence;
            }
            real.fsyncDirectory(key);
            synchronized (namespace) {
                for (PendingEntry entry : pending) {
                    if (entry.sequence <= covered) {
                        entry.unsyncedDirs.remove(key);
                    }
                }
                pending.removeIf(entry -> entry.unsyncedDirs.isEmpty());
            }
            return null;
        });
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        power.powered("create directories " + dir, () -> {
            real.createDirectories(dir);
            return null;
        });
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        return power.powered("list " + dir, () -> real.list(dir));
    }

    @Override
    public boolean exists(Path path) {
        return unchecked("exists " + path, () -> real.exists(path));
    }

    @Override
    public boolean isDirectory(Path path) {
        return unchecked("is directory " + path, () -> real.isDirectory(path));
    }

    @Override
    public long size(Path file) throws IOException {
        return power.powered("size " + file, () -> real.size(file));
    }

    private boolean unchecked(String what, PowerSupply.IoCall<Boolean> call) {
        try {
            return power.powered(what, call);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /** A handle whose calls need power and whose changes are tracked; closing it needs no power. */
    private final class Handle extends ForwardingFileHandle {
        private final Path path;
        private final TrackedFile tracked;

        Handle(Path path, FileHandle inner, TrackedFile tracked) {
            super(inner);
            this.path = path;
            this.tracked = tracked;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return power.powered("read " + path, () -> inner.read(dst, position));
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return power.powered("write " + path, () -> tracked.write(inner, src, position, this::maybeCutPower));
        }

        private void maybeCutPower() {
            String suffix = cutAfterWriteTo.get();
            if (suffix != null && path.getFileName().toString().endsWith(suffix)
                    && cutAfterWriteTo.compareAndSet(suffix, null)) {
                power.cutFromInsideCall();
            }
        }

        @Override
        public long size() throws IOException {
            return power.powered("size " + path, inner::size);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            power.powered("truncate " + path, () -> {
                tracked.truncate(inner, sizeBytes);
                return null;
            });
        }

        @Override
        public void force() throws IOException {
            power.powered("fsync " + path, () -> {
                tracked.force(inner, FileHandle::force);
                return null;
            });
        }

        @Override
        public MemorySegment map(FileChannel.MapMode mode, long sizeBytes, Arena arena) throws IOException {
            return power.powered("map " + path, () -> {
                if (mode == FileChannel.MapMode.READ_WRITE) {
                    tracked.beforeWritableMapping(inner);
                }
                return inner.map(mode, sizeBytes, arena);
            });
        }

        @Override
        public void force(MemorySegment mapped) throws IOException {
            power.powered("msync " + path, () -> {
                tracked.force(inner, handle -> handle.force(mapped));
                return null;
            });
        }
    }
}
