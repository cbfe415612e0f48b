package io.tributary.storage.testing;

import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * A {@link FileIo} over the real file system that records, in order, every fsync, msync, truncation,
 * rename and directory fsync, by file name, for tests of what a flush makes durable and when. Each
 * event also carries a sample of a test-chosen value taken at the moment of the call (e.g. the log's
 * recovery point), so a test can check what was forced <em>before</em> that value moved. Thread-safe.
 */
public final class SyncRecordingFileIo extends ForwardingFileIo {

    /** What happened to a file. */
    public enum Kind { FSYNC, MSYNC, TRUNCATE, MOVE, DIR_FSYNC }

    /**
     * One recorded call.
     *
     * @param fileName the file's name (for MOVE, the target's), or the directory's for DIR_FSYNC
     * @param sample the value of the sampler when the call was made (-1 without a sampler)
     */
    public record Event(Kind kind, String fileName, long sample) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile LongSupplier sampler = () -> -1;

    /** Samples {@code value} at each recorded call from now on. */
    public void sample(LongSupplier value) {
        this.sampler = value;
    }

    /** Every event so far, oldest first. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** How many events were recorded so far; {@link #eventsSince} takes it as a mark. */
    public int mark() {
        return events.size();
    }

    /** The events recorded since {@code mark}. */
    public List<Event> eventsSince(int mark) {
        List<Event> all = events();
        return all.subList(mark, all.size());
    }

    private void record(Kind kind, Path file) {
        events.add(new Event(kind, file.getFileName().toString(), sampler.getAsLong()));
    }

    @Override
    public FileHandle open(Path file, OpenOption... options) throws IOException {
        return new Handle(file, real.open(file, options));
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        real.move(source, target);
        record(Kind.MOVE, target);
    }

    @Override
    public void fsyncDirectory(Path dir) throws IOException {
        real.fsyncDirectory(dir);
        record(Kind.DIR_FSYNC, dir);
    }

    private final class Handle extends ForwardingFileHandle {
        private final Path path;

        Handle(Path path, FileHandle inner) {
            super(inner);
            this.path = path;
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            inner.truncate(sizeBytes);
            record(Kind.TRUNCATE, path);
        }

        @Override
        public void force() throws IOException {
            inner.force();
            record(Kind.FSYNC, path);
        }

        @Override
        public void force(MemorySegment mapped) throws IOException {
            inner.force(mapped);
            record(Kind.MSYNC, path);
        }
    }
}
