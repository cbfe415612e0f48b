package io.tributary.benchmarks;

import io.tributary.storage.FetchDataInfo;
import io.tributary.storage.Log;
import io.tributary.storage.LogConfig;
import io.tributary.storage.Scheduler;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Log append and sequential read throughput with 1 KiB records in 16 KiB batches (16 records, no
 * compression), through the real segmented log on the real disk.
 *
 * <p>{@code batchesPerFsync}: 0 = page-cache only (Kafka's default policy); 1 = fsync after every
 * batch (flush-on-commit with a single producer, the worst case for group commit); 16 = one fsync
 * per 16 batches (group commit under concurrent producers). MB/s = ops/s x 16384 / 10^6; the
 * {@code payloadBytes} counter reports bytes per second directly. Each iteration writes to a fresh
 * directory that is deleted afterwards, so disk use stays bounded.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogAppendReadBenchmark {

    static final int RECORD_BYTES = 1024;
    static final int RECORDS_PER_BATCH = 16;

    static ByteBuffer templateBatch() {
        Random random = new Random(7);
        RecordBatchBuilder builder = new RecordBatchBuilder();
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            byte[] value = new byte[RECORD_BYTES];
            random.nextBytes(value);
            builder.append(1_700_000_000_000L + i, null, value, List.of());
        }
        return builder.build();
    }

    static Log openLog(Path dir, Scheduler scheduler) {
        LogConfig config = LogConfig.fromProperties(Map.of("segment.bytes", String.valueOf(512 << 20),
                "retention.ms", "-1"));
        return Log.builder(dir).config(config).scheduler(scheduler).build();
    }

    static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Payload bytes per second, reported beside ops/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public long payloadBytes;
    }

    @State(Scope.Thread)
    public static class AppendState {
        @Param({"0", "1", "16"})
        int batchesPerFsync;

        final ByteBuffer template = templateBatch();
        final ByteBuffer batch = ByteBuffer.allocate(template.remaining());
        Scheduler scheduler;
        Path root;
        Log log;
        long appended;

        @Setup(Level.Iteration)
        public void open() throws IOException {
            scheduler = Scheduler.threadPool("bench-append", 1);
            root = Files.createTempDirectory("tributary-bench");
            log = openLog(root.resolve("bench-0"), scheduler);
        }

        @TearDown(Level.Iteration)
        public void close() throws IOException {
            log.close();
            scheduler.close();
            deleteTree(root);
        }
    }

    @Benchmark
    public long append(AppendState state, Throughput throughput) {
        ByteBuffer batch = state.batch.clear().put(state.template.duplicate()).flip();
        new RecordBatch(batch, 0).setBaseOffset(state.log.logEndOffset());
        state.log.append(batch);
        state.appended++;
        if (state.batchesPerFsync > 0 && state.appended % state.batchesPerFsync == 0) {
            state.log.flush();
        }
        throughput.payloadBytes += RECORD_BYTES * RECORDS_PER_BATCH;
        return state.appended;
    }

    @State(Scope.Thread)
    public static class ReadState {
        static final int LOG_BYTES = 256 << 20;
        static final int READ_BYTES = 1 << 20;

        Scheduler scheduler;
        Path root;
        Log log;
        long nextOffset;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            scheduler = Scheduler.threadPool("bench-read", 1);
            root = Files.createTempDirectory("tributary-bench");
            log = openLog(root.resolve("bench-0"), scheduler);
            ByteBuffer template = templateBatch();
            for (long written = 0; written < LOG_BYTES; written += template.remaining()) {
                ByteBuffer batch = template.duplicate();
                ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch).flip();
                new RecordBatch(copy, 0).setBaseOffset(log.logEndOffset());
                log.append(copy);
            }
            log.flush();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            log.close();
            scheduler.close();
            deleteTree(root);
        }
    }

    /** Sequential 1 MiB reads through the log, wrapping at the end; counts bytes returned. */
    @Benchmark
    public int sequentialRead(ReadState state, Throughput throughput) {
        if (state.nextOffset >= state.log.logEndOffset()) {
            state.nextOffset = 0;
        }
        FetchDataInfo data = state.log.read(state.nextOffset, ReadState.READ_BYTES, state.log.logEndOffset(), true);
        ByteBuffer records = data.records();
        int size = records.remaining();
        int position = records.position();
        long last = state.nextOffset;
        while (position < records.limit()) {
            RecordBatch batch = new RecordBatch(records, position);
            last = batch.nextOffset();
            position += batch.sizeInBytes();
        }
        state.nextOffset = last;
        throughput.payloadBytes += size;
        return size;
    }
}
