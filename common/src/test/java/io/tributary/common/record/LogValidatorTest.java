package io.tributary.common.record;

import static io.tributary.common.record.TestBatches.concat;
import static io.tributary.common.record.TestBatches.record;
import static io.tributary.common.record.TestBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidRecordException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Happy paths of {@link LogValidator#validateAndAssignOffsets}: offsets, epochs, timestamps and the
 * result. The rejections are in {@link LogValidatorRejectionTest}.
 */
@Tag("unit")
class LogValidatorTest {

    static final long NOW_MS = 1_700_000_000_000L;
    static final ValidationConfig CREATE_TIME = new ValidationConfig(1 << 20, TimestampType.CREATE_TIME,
            Long.MAX_VALUE, 3_600_000L, false);

    @Test
    void testAssignsConsecutiveOffsetsAndTheLeaderEpochAcrossBatches() {
        ByteBuffer input = concat(batch(CompressionType.NONE, NOW_MS, NOW_MS + 1),
                batch(CompressionType.LZ4, NOW_MS, NOW_MS, NOW_MS),
                batch(CompressionType.ZSTD, NOW_MS));
        int sizeInBytes = input.remaining();

        ValidationResult result = LogValidator.validateAndAssignOffsets(input, 100, 9, CREATE_TIME, NOW_MS);

        assertEquals(new ValidationResult(100, 105, NOW_MS + 1, 101, -1, 6, 3, sizeInBytes), result);
        assertEquals(0, input.position(), "position untouched");
        assertEquals(sizeInBytes, input.limit(), "limit untouched");
        List<Long> baseOffsets = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(input).strictBatches()) {
            batch.ensureValid();
            assertEquals(9, batch.partitionLeaderEpoch());
            baseOffsets.add(batch.baseOffset());
            batch.records().forEach(record -> offsets.add(record.offset()));
        }
        assertEquals(List.of(100L, 102L, 105L), baseOffsets);
        assertEquals(List.of(100L, 101L, 102L, 103L, 104L, 105L), offsets);
    }

    @Test
    void testOffsetOfMaxTimestampIsTheFirstRecordCarryingIt() {
        ByteBuffer input = concat(batch(CompressionType.NONE, NOW_MS - 10, NOW_MS - 3),
                batch(CompressionType.GZIP, NOW_MS - 5, NOW_MS - 2, NOW_MS - 2),
                batch(CompressionType.NONE, NOW_MS - 2));
        ValidationResult result = LogValidator.validateAndAssignOffsets(input, 0, 0, CREATE_TIME, NOW_MS);
        assertEquals(NOW_MS - 2, result.maxTimestamp());
        assertEquals(3, result.offsetOfMaxTimestamp());
    }

    @Test
    void testInconsistentHeaderMaxTimestampIsCorrected() {
        ByteBuffer input = batch(CompressionType.NONE, NOW_MS - 7, NOW_MS - 4);
        RecordBatch.at(input).setMaxTimestamp(false, NOW_MS + 50_000);
        LogValidator.validateAndAssignOffsets(input, 0, 0, CREATE_TIME, NOW_MS);
        RecordBatch stamped = RecordBatch.at(input);
        stamped.ensureValid();
        assertEquals(NOW_MS - 4, stamped.maxTimestamp());
    }

    @Test
    void testLogAppendTimeStampsEveryBatchAndSkipsTimestampChecks() {
        ValidationConfig config = new ValidationConfig(1 << 20, TimestampType.LOG_APPEND_TIME, 0, 0, false);
        ByteBuffer input = concat(batch(CompressionType.SNAPPY, -1L, 5L), batch(CompressionType.NONE, Long.MAX_VALUE));

        ValidationResult result = LogValidator.validateAndAssignOffsets(input, 40, 2, config, NOW_MS);

        assertEquals(new ValidationResult(40, 42, NOW_MS, 40, NOW_MS, 3, 2, input.remaining()), result);
        for (RecordBatch batch : MemoryRecords.readableRecords(input).strictBatches()) {
            batch.ensureValid();
            assertEquals(TimestampType.LOG_APPEND_TIME, batch.timestampType());
            assertEquals(NOW_MS, batch.maxTimestamp());
            batch.records().forEach(record -> assertEquals(NOW_MS, record.timestamp()));
        }
    }

    @Test
    void testTimestampBoundsAreInclusive() {
        ValidationConfig config = new ValidationConfig(1 << 20, TimestampType.CREATE_TIME, 1000, 2000, false);
        ByteBuffer input = batch(CompressionType.NONE, NOW_MS - 1000, NOW_MS + 2000);
        assertEquals(2, LogValidator.validateAndAssignOffsets(input, 0, 0, config, NOW_MS).recordCount());
    }

    @Test
    void testUnboundedTimestampLimitsDoNotOverflow() {
        ValidationConfig unbounded = new ValidationConfig(1 << 20, TimestampType.CREATE_TIME,
                Long.MAX_VALUE, Long.MAX_VALUE, false);
        ByteBuffer input = batch(CompressionType.NONE, 0L, Long.MAX_VALUE);
        ValidationResult result = LogValidator.validateAndAssignOffsets(input, 0, 0, unbounded, NOW_MS);
        assertEquals(Long.MAX_VALUE, result.maxTimestamp());
    }

    @Test
    void testCompactedTopicAcceptsKeyedRecords() {
        ValidationConfig compacted = new ValidationConfig(1 << 20, TimestampType.CREATE_TIME, Long.MAX_VALUE,
                Long.MAX_VALUE, true);
        ByteBuffer input = new RecordBatchBuilder().append(NOW_MS, utf8("k"), null).build();
        assertEquals(1, LogValidator.validateAndAssignOffsets(input, 0, 0, compacted, NOW_MS).recordCount());
    }

    @Test
    void testInputMayStartAtANonZeroPosition() {
        ByteBuffer batch = batch(CompressionType.NONE, NOW_MS);
        ByteBuffer input = concat(ByteBuffer.wrap(new byte[3]), batch).position(3);
        ValidationResult result = LogValidator.validateAndAssignOffsets(input, 7, 1, CREATE_TIME, NOW_MS);
        assertEquals(batch.remaining(), result.sizeInBytes());
        assertEquals(7, RecordBatch.at(input).baseOffset());
        assertEquals(3, input.position());
    }

    @Test
    void testEmptyInputIsRejected() {
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> LogValidator.validateAndAssignOffsets(ByteBuffer.allocate(0), 0, 0, CREATE_TIME, NOW_MS));
        assertTrue(e.getMessage().contains("no record batches"), e.getMessage());
    }

    @Test
    void testCallerBugsAreIllegalArguments() {
        ByteBuffer valid = batch(CompressionType.NONE, NOW_MS);
        IllegalArgumentException readOnly = assertThrows(IllegalArgumentException.class,
                () -> LogValidator.validateAndAssignOffsets(valid.asReadOnlyBuffer(), 0, 0, CREATE_TIME, NOW_MS));
        assertTrue(readOnly.getMessage().contains("writable"), readOnly.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LogValidator.validateAndAssignOffsets(valid, -1, 0, CREATE_TIME, NOW_MS));
        IllegalArgumentException overflow = assertThrows(IllegalArgumentException.class,
                () -> LogValidator.validateAndAssignOffsets(valid, Long.MAX_VALUE, 0, CREATE_TIME, NOW_MS));
        assertTrue(overflow.getMessage().contains("overflows"), overflow.getMessage());
    }

    @Test
    void testValidationConfigRejectsNonsense() {
        assertThrows(IllegalArgumentException.class,
                () -> new ValidationConfig(0, TimestampType.CREATE_TIME, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new ValidationConfig(1, null, 0, 0, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ValidationConfig(1, TimestampType.CREATE_TIME, -1, 0, false));
        assertTrue(e.getMessage().contains("before -1"), e.getMessage());
    }

    @Test
    void testFailedValidationOfAHandMadeBatchDoesNotDependOnTheBuilder() {
        // Offset deltas 0 and 2 with a consistent header: structurally fine, but not a produced batch.
        TestBatches.Header header = new TestBatches.Header().records(2);
        header.lastOffsetDelta = 2;
        ByteBuffer input = TestBatches.batch(header, concat(record(0, 0, null, null), record(0, 2, null, null)));
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> LogValidator.validateAndAssignOffsets(input, 0, 0, CREATE_TIME, NOW_MS));
        assertTrue(e.getMessage().contains("last offset delta 2 but holds 2 records"), e.getMessage());
    }

    @Test
    void testAcceptedInputIsStillValidAfterStamping() {
        ByteBuffer input = batch(CompressionType.ZSTD, NOW_MS, NOW_MS);
        byte[] before = TestBatches.bytes(input);
        LogValidator.validateAndAssignOffsets(input, 1L << 40, 3, CREATE_TIME, NOW_MS);
        byte[] after = TestBatches.bytes(input);
        // Only baseOffset (0..7) and the leader epoch (12..15) change; both are outside the CRC'd range.
        for (int i = 0; i < before.length; i++) {
            if (i >= 8 && i < 12 || i >= 16) {
                assertEquals(before[i], after[i], "byte " + i);
            }
        }
        RecordBatch stamped = RecordBatch.at(input);
        stamped.ensureValid();
        assertEquals(1L << 40, stamped.baseOffset());
        assertEquals(3, stamped.partitionLeaderEpoch());
    }

    /** A batch with one record per timestamp, keyed, built by the builder. */
    static ByteBuffer batch(CompressionType compression, long... timestampsMs) {
        RecordBatchBuilder builder = new RecordBatchBuilder().compression(compression);
        for (long timestampMs : timestampsMs) {
            builder.append(timestampMs, utf8("key"), utf8("value at " + timestampMs));
        }
        return builder.build();
    }
}
