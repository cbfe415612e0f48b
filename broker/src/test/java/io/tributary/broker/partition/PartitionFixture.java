package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import io.tributary.storage.Log;
import io.tributary.storage.Scheduler;
import io.tributary.storage.io.FileIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Partitions on real logs in a test directory (flush-on-commit off), and everything they need: a
 * log scheduler and a flusher. {@link #close} closes every log it opened, then the threads.
 */
public final class PartitionFixture implements AutoCloseable {

    /** A listener that ignores every event (tests that do not wait on purgatories). */
    public static final PartitionListener NO_EVENTS = new PartitionListener() {
        @Override
        public void onHighWatermarkAdvanced(Partition partition) {
        }

        @Override
        public void onLogAppended(Partition partition) {
        }
    };

    private final Path dir;
    private final Scheduler scheduler = Scheduler.threadPool("test-log", 1);
    private final LogFlusher flusher = new LogFlusher();
    private final List<Log> logs = new ArrayList<>();

    public PartitionFixture(Path dir) {
        this.dir = dir;
    }

    /** Node {@code localId}'s replica of {@code tp} (topic id "id"), in {@code <dir>/<tp>}, no listener. */
    public Partition partition(TopicPartition tp, int localId) {
        return partition(dir.resolve(tp.toString()), "id", localId, 0, NO_EVENTS);
    }

    /**
     * A replica whose log is (re)opened from {@code logDir} (named {@code <topic>-<partition>}) with
     * the checkpointed {@code highWatermark}.
     */
    public Partition partition(Path logDir, String topicId, int localId, long highWatermark,
                               PartitionListener listener) {
        return partition(logDir, topicId, localId, highWatermark, listener, FileIo.system());
    }

    /** {@link #partition(Path, String, int, long, PartitionListener)} on {@code fileIo} (fault injection). */
    public Partition partition(Path logDir, String topicId, int localId, long highWatermark,
                               PartitionListener listener, FileIo fileIo) {
        Log log = Log.builder(logDir).scheduler(scheduler).highWatermark(highWatermark).fileIo(fileIo).build();
        logs.add(log);
        return new Partition(log.topicPartition(), topicId, log, localId, false, flusher, listener);
    }

    /** Closes {@code replica}'s log (a node stopping), so the same directory can be opened again. */
    public void closeLog(Partition replica) {
        replica.log().close();
        logs.remove(replica.log());
    }

    @Override
    public void close() {
        flusher.close();
        logs.forEach(Log::close);
        scheduler.close();
    }
}
