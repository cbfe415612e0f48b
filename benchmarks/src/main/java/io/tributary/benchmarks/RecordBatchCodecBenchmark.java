package io.tributary.benchmarks;

import io.tributary.common.record.CompressionType;
import io.tributary.common.record.LogValidator;
import io.tributary.common.record.Record;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.common.record.TimestampType;
import io.tributary.common.record.ValidationConfig;
import io.tributary.common.record.ValidationResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of the v2 record-batch codec on the produce path: 16 records of 1 KiB (null key,
 * 1 KiB JSON-like value, compressible about 3-5x) per batch, i.e. 16 KiB of payload per operation.
 *
 * <ul>
 *   <li>{@code encode}: {@link RecordBatchBuilder} appends the 16 records, compresses, writes the
 *       header and CRC32C.</li>
 *   <li>{@code decode}: {@link RecordBatch#ensureValid()} (CRC32C) then {@link RecordBatch#records()}
 *       (decompress and decode every record).</li>
 *   <li>{@code validate}: what the broker runs per produce,
 *       {@link LogValidator#validateAndAssignOffsets}: framing, CRC, decode, checks, stamping.</li>
 * </ul>
 *
 * <p><b>Reading the numbers.</b> The primary score is batches per second. Each batch carries
 * {@value #BATCH_PAYLOAD_BYTES} payload bytes, so payload MB/s = score × 16384 / 10^6. The secondary
 * {@code payloadBytes} result reports the same directly in bytes per second (an operations-type
 * auxiliary counter that every invocation advances by {@value #BATCH_PAYLOAD_BYTES}).
 *
 * <p>Run: {@code mvn -B -ntp -q -pl benchmarks -am package -DskipTests}, then
 * {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/classes:benchmarks/target/lib/*
 * org.openjdk.jmh.Main RecordBatchCodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RecordBatchCodecBenchmark {

    static final int RECORD_BYTES = 1024;
    static final int RECORDS_PER_BATCH = 16;
    static final int BATCH_PAYLOAD_BYTES = RECORD_BYTES * RECORDS_PER_BATCH;
    private static final long NOW_MS = 1_700_000_000_000L;
    private static final ValidationConfig CONFIG = new ValidationConfig(1 << 20, TimestampType.CREATE_TIME,
            Long.MAX_VALUE, Long.MAX_VALUE, false);

    @Param({"NONE", "LZ4", "ZSTD", "SNAPPY", "GZIP"})
    public String compression;

    private CompressionType compressionType;
    private byte[][] values;
    private ByteBuffer batch;

    /** Payload bytes processed; JMH divides by time, giving bytes per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class PayloadBytes {
        public long payloadBytes;

        @Setup(Level.Iteration)
        public void reset() {
            payloadBytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        compressionType = CompressionType.valueOf(compression);
        SplittableRandom random = new SplittableRandom(2024);
        values = new byte[RECORDS_PER_BATCH][];
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            values[i] = jsonLikeValue(random);
        }
        batch = encodeBatch();
    }

    @Benchmark
    public ByteBuffer encode(PayloadBytes counter) {
        counter.payloadBytes += BATCH_PAYLOAD_BYTES;
        return encodeBatch();
    }

    @Benchmark
    public List<Record> decode(PayloadBytes counter) {
        RecordBatch view = RecordBatch.at(batch);
        view.ensureValid();
        counter.payloadBytes += BATCH_PAYLOAD_BYTES;
        return view.records();
    }

    @Benchmark
    public ValidationResult validate(PayloadBytes counter) {
        // Stamping rewrites the same base offset and epoch every time, so the input stays identical.
        counter.payloadBytes += BATCH_PAYLOAD_BYTES;
        return LogValidator.validateAndAssignOffsets(batch.duplicate(), 0, 0, CONFIG, NOW_MS);
    }

    private ByteBuffer encodeBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder().compression(compressionType);
        for (byte[] value : values) {
            builder.append(NOW_MS, null, value);
        }
        return builder.build();
    }

    /** Exactly {@value #RECORD_BYTES} bytes of repetitive field names with random values, like real events. */
    private static byte[] jsonLikeValue(SplittableRandom random) {
        StringBuilder json = new StringBuilder(RECORD_BYTES + 64);
        while (json.length() < RECORD_BYTES) {
            json.append("{\"user\":\"u").append(random.nextInt(100_000))
                    .append("\",\"event\":\"").append(random.nextBoolean() ? "click" : "view")
                    .append("\",\"ts\":").append(NOW_MS + random.nextInt(1_000_000))
                    .append(",\"amount\":").append(random.nextDouble()).append("},");
        }
        byte[] bytes = json.toString().getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(bytes, RECORD_BYTES);
    }
}
