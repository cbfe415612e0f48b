package io.tributary.storage.testing;

import io.tributary.common.MockTime;
import io.tributary.storage.Log;
import io.tributary.storage.LogBuilder;
import io.tributary.storage.LogConfig;
import io.tributary.storage.io.FileIo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/** Opens logs on a mock clock and scheduler in a test directory, and appends generated batches. */
public final class LogFixture {

    public final MockTime time;
    public final MockScheduler scheduler;
    public final Path dir;
    private int epoch;

    public LogFixture(Path parent) {
        this(parent, new MockTime());
    }

    public LogFixture(Path parent, MockTime time) {
        this.dir = parent.resolve("topic-0");
        this.time = time;
        this.scheduler = new MockScheduler(time);
    }

    /** A config with small, test-friendly defaults overridden by {@code overrides}. */
    public static LogConfig config(Map<String, String> overrides) {
        return LogConfig.defaults().withOverrides(overrides);
    }

    public LogBuilder builder(LogConfig config, FileIo io) {
        return Log.builder(dir).config(config).time(time).scheduler(scheduler).fileIo(io);
    }

    public Log open(LogConfig config) {
        return builder(config, FileIo.system()).build();
    }

    public void epoch(int leaderEpoch) {
        this.epoch = leaderEpoch;
    }

    /** Appends one batch of {@code records} records and {@code payloadBytes} bytes at the log end; returns it. */
    public ByteBuffer append(Log log, int records, int payloadBytes) {
        return append(log, records, payloadBytes, time.milliseconds());
    }

    public ByteBuffer append(Log log, int records, int payloadBytes, long maxTimestamp) {
        ByteBuffer batch = TestBatches.batch(log.logEndOffset(), records, maxTimestamp - 1, maxTimestamp, epoch,
                payloadBytes, log.logEndOffset() * 31 + payloadBytes);
        log.append(batch.duplicate());
        return batch;
    }
}
