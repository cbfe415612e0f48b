package io.tributary.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeded property tests of the whole codec path: random records, codecs and flags go through
 * {@link RecordBatchBuilder}, {@link LogValidator} and {@link RecordBatch#records()}, and must come
 * out as a trivial reference model predicts; and no single-byte corruption of a batch is accepted
 * unless it hit a field the validator overwrites anyway.
 *
 * <p>The seed is logged and appears in every assertion message; replay a failure with
 * {@code mvn ... -Dtest=RecordBatchRandomizedTest -Dtributary.seed=<seed>}.
 */
@Tag("unit")
class RecordBatchRandomizedTest {

    private static final Logger LOG = LoggerFactory.getLogger(RecordBatchRandomizedTest.class);
    private static final long NOW_MS = 1_700_000_000_000L;
    private static final long WINDOW_MS = 3_600_000L;
    private static final int ROUND_TRIP_ITERATIONS = 150;
    private static final int CORRUPTION_ITERATIONS = 100;
    private static final int CORRUPTIONS_PER_BATCH = 12;

    private long seed;
    private SplittableRandom random;

    @BeforeEach
    void seed() {
        seed = Long.getLong("tributary.seed", System.nanoTime());
        random = new SplittableRandom(seed);
        LOG.info("RecordBatchRandomizedTest seed={} (replay with -Dtributary.seed={})", seed, seed);
    }

    @Test
    void testBuildValidateDecodeMatchesTheReferenceModel() {
        for (int iteration = 0; iteration < ROUND_TRIP_ITERATIONS; iteration++) {
            String context = "seed=" + seed + " iteration=" + iteration;
            TimestampType timestampType = random.nextBoolean() ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
            ValidationConfig config = new ValidationConfig(1 << 24, timestampType, WINDOW_MS, WINDOW_MS, false);
            List<List<Record>> appended = new ArrayList<>();
            List<ByteBuffer> batches = new ArrayList<>();
            for (int b = random.nextInt(1, 5); b > 0; b--) {
                List<Record> records = randomRecords();
                appended.add(records);
                batches.add(randomBatch(records));
            }
            ByteBuffer input = TestBatches.concat(batches.toArray(ByteBuffer[]::new));
            long firstOffset = random.nextLong(0, 1L << 40);
            int epoch = random.nextInt(0, 1000);

            ValidationResult result = LogValidator.validateAndAssignOffsets(input, firstOffset, epoch, config, NOW_MS);

            List<Record> expected = model(appended, firstOffset, timestampType);
            assertEquals(expectedResult(expected, batches.size(), input.remaining(), timestampType), result, context);
            assertEquals(expected, decodeAll(input, epoch, context), context);
        }
    }

    @Test
    void testSingleByteCorruptionIsNeverSilentlyAccepted() {
        ValidationConfig config = new ValidationConfig(1 << 24, TimestampType.CREATE_TIME, WINDOW_MS, WINDOW_MS, false);
        for (int iteration = 0; iteration < CORRUPTION_ITERATIONS; iteration++) {
            ByteBuffer pristine = randomBatch(randomRecords());
            ByteBuffer reference = copy(pristine);
            LogValidator.validateAndAssignOffsets(reference, 500, 3, config, NOW_MS);
            for (int c = 0; c < CORRUPTIONS_PER_BATCH; c++) {
                // Always exercise the two fields outside the CRC, plus random positions anywhere.
                int index = switch (c) {
                    case 0 -> random.nextInt(RecordBatch.BASE_OFFSET_OFFSET, RecordBatch.LENGTH_OFFSET);
                    case 1 -> random.nextInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, RecordBatch.MAGIC_OFFSET);
                    default -> random.nextInt(pristine.remaining());
                };
                int flip = random.nextInt(1, 256);
                String context = "seed=" + seed + " iteration=" + iteration + " index=" + index + " xor=" + flip;
                ByteBuffer corrupted = copy(pristine);
                corrupted.put(index, (byte) (corrupted.get(index) ^ flip));
                checkCorruption(corrupted, index, reference, config, context);
            }
        }
    }

    /**
     * Base offset and leader epoch are outside the CRC by design (the broker assigns them without
     * rewriting the CRC); the validator overwrites both, so accepting such a batch is correct, and the
     * result must be byte-identical to validating the pristine batch. Any other byte must be rejected.
     */
    private static void checkCorruption(ByteBuffer corrupted, int index, ByteBuffer reference, ValidationConfig config,
                                        String context) {
        boolean outsideCrc = index < RecordBatch.LENGTH_OFFSET
                || index >= RecordBatch.PARTITION_LEADER_EPOCH_OFFSET && index < RecordBatch.MAGIC_OFFSET;
        try {
            LogValidator.validateAndAssignOffsets(corrupted, 500, 3, config, NOW_MS);
        } catch (CorruptRecordException | UnsupportedForMessageFormatException e) {
            if (outsideCrc) {
                fail("a byte the validator overwrites was rejected: " + e.getMessage() + " " + context);
            }
            return;
        }
        assertTrue(outsideCrc, "corruption accepted silently " + context);
        assertArrayEquals(TestBatches.bytes(reference), TestBatches.bytes(corrupted), "stamping repairs it " + context);
    }

    private List<Record> randomRecords() {
        List<Record> records = new ArrayList<>();
        for (int i = random.nextInt(1, 41); i > 0; i--) {
            long timestampMs = NOW_MS + random.nextLong(-WINDOW_MS, WINDOW_MS + 1);
            records.add(new Record(-1, timestampMs, randomBytes(64, 25), randomBytes(4000, 15), randomHeaders()));
        }
        return records;
    }

    private ByteBuffer randomBatch(List<Record> records) {
        CompressionType[] codecs = CompressionType.values();
        RecordBatchBuilder builder = new RecordBatchBuilder()
                .compression(codecs[random.nextInt(codecs.length)])
                .transactional(random.nextBoolean())
                .producerId(random.nextLong(-1, 1_000_000))
                .producerEpoch((short) random.nextInt(-1, 100))
                .baseSequence(random.nextInt(-1, 1_000_000));
        for (Record record : records) {
            builder.append(record.timestamp(), record.key(), record.value(), record.headers());
        }
        return builder.build();
    }

    /** Null with probability {@code nullPercent}, empty 10% of the time, else random and sometimes repetitive. */
    private byte[] randomBytes(int maxLength, int nullPercent) {
        int roll = random.nextInt(100);
        if (roll < nullPercent) {
            return null;
        }
        if (roll < nullPercent + 10) {
            return new byte[0];
        }
        byte[] bytes = new byte[random.nextInt(1, maxLength + 1)];
        int alphabet = random.nextInt(1, 257);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(alphabet);
        }
        return bytes;
    }

    private List<Header> randomHeaders() {
        List<Header> headers = new ArrayList<>();
        for (int i = random.nextInt(0, 4); i > 0; i--) {
            String key = random.nextBoolean() ? "h" + random.nextInt(100) : "ключ-" + random.nextInt(10);
            headers.add(new Header(key, randomBytes(32, 30)));
        }
        return headers;
    }

    /** The reference model: offsets count up from firstOffset; timestamps are kept or become the append time. */
    private static List<Record> model(List<List<Record>> batches, long firstOffset, TimestampType timestampType) {
        List<Record> expected = new ArrayList<>();
        long offset = firstOffset;
        for (List<Record> batch : batches) {
            for (Record record : batch) {
                long timestamp = timestampType == TimestampType.LOG_APPEND_TIME ? NOW_MS : record.timestamp();
                expected.add(new Record(offset++, timestamp, record.key(), record.value(), record.headers()));
            }
        }
        return expected;
    }

    private static ValidationResult expectedResult(List<Record> expected, int batchCount, int sizeInBytes,
                                                   TimestampType timestampType) {
        Record first = expected.get(0);
        Record firstWithMax = first;
        for (Record record : expected) {
            if (record.timestamp() > firstWithMax.timestamp()) {
                firstWithMax = record;
            }
        }
        long logAppendTimeMs = timestampType == TimestampType.LOG_APPEND_TIME ? NOW_MS : -1;
        return new ValidationResult(first.offset(), expected.get(expected.size() - 1).offset(), firstWithMax.timestamp(),
                firstWithMax.offset(), logAppendTimeMs, expected.size(), batchCount, sizeInBytes);
    }

    private static List<Record> decodeAll(ByteBuffer input, int epoch, String context) {
        List<Record> decoded = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(input).strictBatches()) {
            batch.ensureValid();
            assertEquals(epoch, batch.partitionLeaderEpoch(), context);
            decoded.addAll(batch.records());
        }
        return decoded;
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        return ByteBuffer.wrap(TestBatches.bytes(buffer));
    }
}
