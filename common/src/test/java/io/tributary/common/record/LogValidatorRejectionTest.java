package io.tributary.common.record;

import static io.tributary.common.record.LogValidatorTest.CREATE_TIME;
import static io.tributary.common.record.LogValidatorTest.NOW_MS;
import static io.tributary.common.record.LogValidatorTest.batch;
import static io.tributary.common.record.TestBatches.concat;
import static io.tributary.common.record.TestBatches.record;
import static io.tributary.common.record.TestBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.InvalidRecordException;
import io.tributary.common.errors.InvalidTimestampException;
import io.tributary.common.errors.RecordTooLargeException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rejection of {@link LogValidator#validateAndAssignOffsets}: the exception type, that the
 * message names the problem, and that the buffer is left exactly as it was. The bad batch is always
 * the second one, so an implementation that stamped batches while validating would be caught.
 */
@Tag("unit")
class LogValidatorRejectionTest {

    private static final ValidationConfig COMPACTED = new ValidationConfig(1 << 20, TimestampType.CREATE_TIME,
            Long.MAX_VALUE, Long.MAX_VALUE, true);
    private static final ValidationConfig ONE_SECOND_WINDOW = new ValidationConfig(1 << 20, TimestampType.CREATE_TIME,
            1000, 1000, false);
    private static final ValidationConfig LOG_APPEND_TIME = new ValidationConfig(1 << 20, TimestampType.LOG_APPEND_TIME,
            0, 0, false);

    /** One way a second batch can be wrong. */
    record Scenario(String name, ValidationConfig config, Supplier<ByteBuffer> secondBatch,
                    Class<? extends ApiException> expected, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Scenario> scenarios() {
        int firstSize = firstBatch().remaining();
        int threeRecordSize = batch(CompressionType.NONE, NOW_MS, NOW_MS, NOW_MS).remaining();
        return Stream.of(
                new Scenario("partial trailing batch", CREATE_TIME, () -> batch(CompressionType.NONE, NOW_MS).limit(40),
                        CorruptRecordException.class, "partial record batch at byte position " + firstSize),
                new Scenario("garbage", CREATE_TIME, () -> ByteBuffer.wrap(new byte[64]),
                        CorruptRecordException.class, "garbage at byte position " + firstSize),
                new Scenario("old magic", CREATE_TIME, () -> withByte(batch(CompressionType.NONE, NOW_MS),
                        RecordBatch.MAGIC_OFFSET, 1), UnsupportedForMessageFormatException.class, "magic 1"),
                new Scenario("bad crc", CREATE_TIME, () -> flipLastByte(batch(CompressionType.NONE, NOW_MS)),
                        CorruptRecordException.class, "failed its CRC32C check"),
                new Scenario("too large", new ValidationConfig(firstSize + 10, TimestampType.CREATE_TIME,
                        Long.MAX_VALUE, Long.MAX_VALUE, false), () -> batch(CompressionType.NONE, NOW_MS, NOW_MS, NOW_MS),
                        RecordTooLargeException.class, "is " + threeRecordSize + " bytes, larger than the topic's limit of "
                        + (firstSize + 10)),
                new Scenario("control batch", CREATE_TIME, () -> RecordBatchBuilder.endTransactionMarker(1, (short) 0,
                        NOW_MS, new EndTransactionMarker(ControlRecordType.COMMIT, 0)).build(),
                        InvalidRecordException.class, "is a control batch"),
                new Scenario("no records", CREATE_TIME, () -> TestBatches.batch(new TestBatches.Header(), new byte[0]),
                        InvalidRecordException.class, "holds no records"),
                new Scenario("last offset delta", CREATE_TIME, LogValidatorRejectionTest::wrongLastOffsetDelta,
                        InvalidRecordException.class, "last offset delta 5 but holds 2 records"),
                new Scenario("offset delta gap", CREATE_TIME, LogValidatorRejectionTest::offsetDeltaGap,
                        InvalidRecordException.class, "record 1 of the batch at position " + firstSize + " has offset delta 2"),
                new Scenario("record count", CREATE_TIME, LogValidatorRejectionTest::countAboveRecords,
                        CorruptRecordException.class, "declares 3 records but its records section holds only 2"),
                new Scenario("null key on compacted topic", COMPACTED,
                        () -> new RecordBatchBuilder().append(NOW_MS, utf8("k"), null).append(NOW_MS, null, utf8("v")).build(),
                        InvalidRecordException.class, "record 1 of the batch at position " + firstSize + " has a null key"),
                new Scenario("negative timestamp", CREATE_TIME, () -> batch(CompressionType.NONE, NOW_MS, -1L),
                        InvalidTimestampException.class, "negative timestamp -1"),
                new Scenario("timestamp too old", ONE_SECOND_WINDOW, () -> batch(CompressionType.LZ4, NOW_MS - 1001),
                        InvalidTimestampException.class, "timestamp " + (NOW_MS - 1001) + ", outside the accepted range ["
                        + (NOW_MS - 1000) + ", " + (NOW_MS + 1000) + "]"),
                new Scenario("timestamp too new", ONE_SECOND_WINDOW, () -> batch(CompressionType.ZSTD, NOW_MS, NOW_MS + 1001),
                        InvalidTimestampException.class, "record 1 of the batch at position " + firstSize
                        + " has timestamp " + (NOW_MS + 1001)),
                new Scenario("claims log-append time", CREATE_TIME, () -> new RecordBatchBuilder()
                        .timestampType(TimestampType.LOG_APPEND_TIME).append(NOW_MS, null, null).build(),
                        InvalidTimestampException.class, "claims log-append time"),
                new Scenario("compressed garbage", LOG_APPEND_TIME, LogValidatorRejectionTest::zstdGarbage,
                        CorruptRecordException.class, "zstd-compressed records cannot be decompressed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void testRejectionNamesTheProblemAndLeavesTheBufferUnmodified(Scenario scenario) {
        ByteBuffer input = concat(firstBatch(), scenario.secondBatch().get());
        byte[] before = TestBatches.bytes(input);
        int positionBefore = input.position();
        int limitBefore = input.limit();

        ApiException e = assertThrows(scenario.expected(), () -> LogValidator.validateAndAssignOffsets(input, 1000, 5,
                scenario.config(), NOW_MS));

        assertTrue(e.getMessage().contains(scenario.messagePart()), "message was: " + e.getMessage());
        assertArrayEquals(before, TestBatches.bytes(input), "buffer bytes must be unmodified");
        assertEquals(positionBefore, input.position());
        assertEquals(limitBefore, input.limit());
    }

    /** A valid batch with a header max timestamp that validation would rewrite, so stamping would show. */
    private static ByteBuffer firstBatch() {
        ByteBuffer batch = batch(CompressionType.NONE, NOW_MS, NOW_MS);
        RecordBatch.at(batch).setMaxTimestamp(false, NOW_MS - 1);
        return batch;
    }

    private static ByteBuffer withByte(ByteBuffer batch, int index, int value) {
        batch.put(index, (byte) value);
        return batch;
    }

    private static ByteBuffer flipLastByte(ByteBuffer batch) {
        return withByte(batch, batch.limit() - 1, batch.get(batch.limit() - 1) ^ 0x40);
    }

    private static ByteBuffer wrongLastOffsetDelta() {
        TestBatches.Header header = new TestBatches.Header().records(2);
        header.lastOffsetDelta = 5;
        return TestBatches.batch(header, concat(record(0, 0, null, null), record(0, 1, null, null)));
    }

    private static ByteBuffer offsetDeltaGap() {
        TestBatches.Header header = new TestBatches.Header().records(2);
        return TestBatches.batch(header, concat(record(0, 0, null, null), record(0, 2, null, null)));
    }

    private static ByteBuffer countAboveRecords() {
        TestBatches.Header header = new TestBatches.Header().records(3);
        byte[] padded = record(0, 0, new byte[20], null);
        return TestBatches.batch(header, concat(padded, padded));
    }

    private static ByteBuffer zstdGarbage() {
        TestBatches.Header header = new TestBatches.Header().records(1);
        header.attributes = (short) CompressionType.ZSTD.id();
        return TestBatches.batch(header, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    }
}
