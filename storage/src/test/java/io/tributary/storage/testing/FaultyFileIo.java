package io.tributary.storage.testing;

import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A {@link FileIo} over the real file system that injects faults, for tests (STYLE.md lesson 4:
 * fakes model crashes, not just success).
 *
 * <ul>
 *   <li>Explicit faults: the next (or every) operation of a kind on files whose name ends with a
 *       suffix fails with an IOException; a torn write writes only a prefix, then fails.
 *   <li>Disk full: past a byte budget, a write stores what fits and fails with "No space left on device".
 *   <li>Seeded random faults on chosen operations, with a given probability.
 *   <li>Crash: {@link #crash} cuts every file written through this instance back to a random length
 *       between what was last fsynced and what was written, modelling the page cache losing an
 *       arbitrary suffix of the unsynced bytes. Directory entries (creates, renames) and truncations
 *       count as durable at once. Stores through memory mappings are invisible here: only file lengths
 *       are modelled, so an index entry written after the last fsync is not torn by a crash.
 * </ul>
 *
 * Thread-safe. Counters let tests assert, e.g., that a failed fsync is never retried.
 */
public final class FaultyFileIo extends ForwardingFileIo {

    /** The operations faults can target. */
    public enum Op { OPEN, WRITE, FORCE, MOVE, DELETE, DIR_FSYNC, TRUNCATE, MAP }

    private record Fault(Op op, String suffix, boolean sticky, int tornKeepBytes) {
        boolean matches(Op candidate, Path path) {
            return op == candidate && (path == null || path.getFileName().toString().endsWith(suffix));
        }
    }

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<Path, Long> durableBytes = new ConcurrentHashMap<>();
    private final Map<Op, AtomicInteger> counts = new EnumMap<>(Op.class);
    private final AtomicLong budgetBytes = new AtomicLong(Long.MAX_VALUE);
    private volatile RandomGenerator random;
    private volatile double faultProbability;
    private volatile List<Op> randomOps = List.of();

    public FaultyFileIo() {
        for (Op op : Op.values()) {
            counts.put(op, new AtomicInteger());
        }
    }

    /** The next {@code op} on a file whose name ends with {@code suffix} ("" = any) fails. */
    public FaultyFileIo failNext(Op op, String suffix) {
        faults.add(new Fault(op, suffix, false, -1));
        return this;
    }

    /** Every {@code op} on a file whose name ends with {@code suffix} fails from now on. */
    public FaultyFileIo failAlways(Op op, String suffix) {
        faults.add(new Fault(op, suffix, true, -1));
        return this;
    }

    /** The next write to a file ending with {@code suffix} stores only its first {@code keepBytes}, then fails. */
    public FaultyFileIo tearNextWrite(String suffix, int keepBytes) {
        faults.add(new Fault(Op.WRITE, suffix, false, keepBytes));
        return this;
    }

    /** After {@code bytes} more bytes are written, writes fail as on a full disk. */
    public FaultyFileIo diskFullAfter(long bytes) {
        budgetBytes.set(bytes);
        return this;
    }

    /** Each of {@code ops} fails with {@code probability}, drawn from {@code seeded}. */
    public FaultyFileIo randomFaults(RandomGenerator seeded, double probability, Op... ops) {
        this.random = seeded;
        this.faultProbability = probability;
        this.randomOps = List.of(ops);
        return this;
    }

    /** Removes every fault, the disk budget and random faults. */
    public void heal() {
        faults.clear();
        budgetBytes.set(Long.MAX_VALUE);
        randomOps = List.of();
    }

    /** How many times {@code op} was attempted (failed attempts included). */
    public int count(Op op) {
        return counts.get(op).get();
    }

    /**
     * Simulates power loss: each file written through this instance is cut to a random length between
     * its last fsynced length and its current length. Call after closing the files.
     */
    public void crash(RandomGenerator seeded) throws IOException {
        for (Map.Entry<Path, Long> entry : new ArrayList<>(durableBytes.entrySet())) {
            Path file = entry.getKey();
            if (!real.exists(file) || real.isDirectory(file)) {
                continue;
            }
            long size = real.size(file);
            long durable = Math.min(entry.getValue(), size);
            if (size > durable) {
                long keep = durable + seeded.nextLong(size - durable + 1);
                try (FileHandle handle = real.open(file, StandardOpenOption.WRITE)) {
                    handle.truncate(keep);
                }
            }
            durableBytes.put(file, real.size(file));
        }
    }

    @Override
    public FileHandle open(Path file, OpenOption... options) throws IOException {
        Path key = key(file);
        check(Op.OPEN, key);
        boolean existed = real.exists(key);
        FileHandle handle = real.open(file, options);
        durableBytes.compute(key, (k, durable) -> {
            long size = existed ? sizeOf(handle) : 0;
            return durable == null ? size : Math.min(durable, size);
        });
        return new Handle(key, handle);
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        check(Op.MOVE, key(source));
        real.move(source, target);
        Long durable = durableBytes.remove(key(source));
        if (durable != null) {
            durableBytes.put(key(target), durable);
        }
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        check(Op.DELETE, key(path));
        durableBytes.remove(key(path));
        return real.deleteIfExists(path);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        check(Op.DIR_FSYNC, key(dir));
        real.fsyncDirectory(dir);
    }

    private void check(Op op, Path path) throws IOException {
        counts.get(op).incrementAndGet();
        for (Fault fault : faults) {
            if (fault.tornKeepBytes() < 0 && fault.matches(op, path)) {
                if (!fault.sticky()) {
                    faults.remove(fault);
                }
                throw new IOException("injected " + op + " failure on " + path);
            }
        }
        RandomGenerator generator = random;
        if (randomOps.contains(op) && generator != null) {
            boolean fail;
            synchronized (generator) {
                fail = generator.nextDouble() < faultProbability;
            }
            if (fail) {
                throw new IOException("injected random " + op + " failure on " + path);
            }
        }
    }

    /** Bytes of a write that may reach the file before it fails: all, a torn prefix, or what fits on disk. */
    private int allowedBytes(Path path, int wanted) {
        for (Fault fault : faults) {
            if (fault.tornKeepBytes() >= 0 && fault.matches(Op.WRITE, path)) {
                faults.remove(fault);
                return Math.min(wanted, fault.tornKeepBytes());
            }
        }
        long budget = budgetBytes.getAndUpdate(left -> left == Long.MAX_VALUE ? left : Math.max(0, left - wanted));
        return (int) Math.min(wanted, budget);
    }

    private static Path key(Path path) {
        return path.toAbsolutePath().normalize();
    }

    private static long sizeOf(FileHandle handle) {
        try {
            return handle.size();
        } catch (IOException e) {
            return 0;
        }
    }

    private final class Handle extends ForwardingFileHandle {
        private final Path path;

        Handle(Path path, FileHandle inner) {
            super(inner);
            this.path = path;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check(Op.WRITE, path);
            int wanted = src.remaining();
            int allowed = allowedBytes(path, wanted);
            if (allowed == wanted) {
                return inner.write(src, position);
            }
            ByteBuffer prefix = src.slice(src.position(), allowed);
            inner.writeFully(prefix, position);
            src.position(src.position() + allowed);
            throw new IOException("injected torn write / no space left on device: " + allowed + " of " + wanted
                    + " bytes reached " + path);
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            check(Op.TRUNCATE, path);
            inner.truncate(sizeBytes);
            durableBytes.computeIfPresent(path, (k, durable) -> Math.min(durable, sizeBytes));
        }

        @Override
        public void force() throws IOException {
            check(Op.FORCE, path);
            inner.force();
            durableBytes.put(path, inner.size());
        }

        @Override
        public MemorySegment map(FileChannel.MapMode mode, long sizeBytes, Arena arena) throws IOException {
            check(Op.MAP, path);
            return inner.map(mode, sizeBytes, arena);
        }

        @Override
        public void force(MemorySegment mapped) throws IOException {
            check(Op.FORCE, path);
            inner.force(mapped);
        }
    }
}
