package io.tributary.common.record;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.InvalidRecordException;
import io.tributary.common.errors.InvalidTimestampException;
import io.tributary.common.errors.RecordTooLargeException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Validates the record batches of one produce request for one partition and assigns their offsets,
 * in place, before the leader appends them to its log.
 *
 * <p>Protocol, in two phases so a rejected request leaves no trace:
 * <ol>
 *   <li><b>Validate every batch</b>, in order, stopping at the first failure:
 *     <ul>
 *       <li>framing: the bytes are one or more complete v2 batches and nothing else;</li>
 *       <li>size: each batch is at most {@code maxMessageBytes};</li>
 *       <li>integrity: magic 2, sane counts, CRC32C ({@link RecordBatch#ensureValid()});</li>
 *       <li>kind: no control batches (only the broker writes transaction markers), no empty batches;</li>
 *       <li>records: every record decodes (decompressing as needed), the count matches the header,
 *           offset deltas are exactly 0..n-1 and {@code lastOffsetDelta} is n-1;</li>
 *       <li>keys: compacted topics need a non-null key on every record;</li>
 *       <li>timestamps (create time): every timestamp is non-negative and within
 *           [{@code nowMs - timestampBeforeMaxMs}, {@code nowMs + timestampAfterMaxMs}] (saturating,
 *           so {@link Long#MAX_VALUE} means unbounded); a batch claiming log-append time is refused.</li>
 *     </ul></li>
 *   <li><b>Stamp every batch</b>, only once all passed: base offsets consecutive from
 *       {@code firstOffset}, the partition leader epoch, and for log-append-time topics the append
 *       time as max timestamp; for create-time topics a header max timestamp that disagrees with the
 *       records is corrected, so the time index cannot be misled. The fields inside the CRC'd range
 *       are rewritten together with the CRC.</li>
 * </ol>
 *
 * <p>Errors: {@link CorruptRecordException} (framing, CRC, record structure),
 * {@link UnsupportedForMessageFormatException} (magic), {@link RecordTooLargeException},
 * {@link InvalidRecordException} (empty input, control or empty batches, offset deltas, missing keys),
 * {@link InvalidTimestampException}; each message names the batch's byte position and the problem.
 *
 * <p>Stateless and thread-safe; the buffer must not be touched by anyone else during the call.
 */
public final class LogValidator {

    private LogValidator() {
    }

    /**
     * Validates the batches between {@code batches}' position and limit and, if all are valid,
     * assigns offsets and stamps them in place. On any exception the buffer's bytes are unchanged.
     * The buffer's position and limit are never moved.
     *
     * @param batches              the produced bytes; must be writable
     * @param firstOffset          the log end offset the first record gets
     * @param partitionLeaderEpoch the leader epoch to stamp on every batch
     * @param config               the topic's validation settings
     * @param nowMs                the broker's wall clock, for timestamp bounds and log-append time
     * @throws IllegalArgumentException for a read-only buffer, a negative {@code firstOffset} or
     *         offsets that would overflow: caller bugs, not bad input
     */
    public static ValidationResult validateAndAssignOffsets(ByteBuffer batches, long firstOffset,
                                                            int partitionLeaderEpoch, ValidationConfig config,
                                                            long nowMs) {
        Objects.requireNonNull(config, "config");
        if (batches.isReadOnly()) {
            throw new IllegalArgumentException("produced batches must be in a writable buffer: offsets are assigned in place");
        }
        if (firstOffset < 0) {
            throw new IllegalArgumentException("firstOffset must not be negative: " + firstOffset);
        }
        if (!batches.hasRemaining()) {
            throw new InvalidRecordException("produce request holds no record batches: 0 bytes");
        }
        MemoryRecords records = MemoryRecords.readableRecords(batches);
        TimestampBounds bounds = TimestampBounds.of(config, nowMs);
        List<CheckedBatch> checked = new ArrayList<>();
        long recordCount = 0;
        for (RecordBatch batch : records.strictBatches()) {
            CheckedBatch result = validateBatch(batch, config, bounds);
            checked.add(result);
            recordCount += result.recordCount();
        }
        if (firstOffset > Long.MAX_VALUE - recordCount) {
            throw new IllegalArgumentException("assigning " + recordCount + " offsets from " + firstOffset + " overflows");
        }
        return stamp(checked, firstOffset, partitionLeaderEpoch, config, nowMs, records.sizeInBytes());
    }

    private static CheckedBatch validateBatch(RecordBatch batch, ValidationConfig config, TimestampBounds bounds) {
        int at = batch.position();
        if (batch.sizeInBytes() > config.maxMessageBytes()) {
            throw new RecordTooLargeException("record batch at position " + at + " is " + batch.sizeInBytes()
                    + " bytes, larger than the topic's limit of " + config.maxMessageBytes() + " bytes");
        }
        batch.ensureValid();
        if (batch.isControlBatch()) {
            throw new InvalidRecordException("record batch at position " + at
                    + " is a control batch; only the broker writes control records");
        }
        if (batch.recordCount() == 0) {
            throw new InvalidRecordException("record batch at position " + at + " holds no records");
        }
        if (config.timestampType() == TimestampType.CREATE_TIME && batch.isLogAppendTime()) {
            throw new InvalidTimestampException("record batch at position " + at
                    + " claims log-append time, but the topic uses create time and only the broker assigns append times");
        }
        RecordChecks checks = new RecordChecks(batch, config, bounds);
        batch.scanRecords(RecordBatch.DEFAULT_MAX_DECOMPRESSED_BYTES, checks);
        int expectedLastDelta = checks.count - 1;
        if (batch.lastOffsetDelta() != expectedLastDelta) {
            throw new InvalidRecordException("record batch at position " + at + " has last offset delta "
                    + batch.lastOffsetDelta() + " but holds " + checks.count + " records (expected " + expectedLastDelta
                    + ")");
        }
        checks.throwFirstFailure();
        return new CheckedBatch(batch, checks.count, checks.maxTimestamp, checks.offsetDeltaOfMaxTimestamp);
    }

    /**
     * Per-record checks, fed by a copy-free scan of the batch. Failures are kept, not thrown, until the
     * scan ends, so a corrupt record anywhere in the batch is reported before a bad offset delta, and
     * a bad offset delta before a missing key or timestamp: the order a full decode would find them.
     */
    private static final class RecordChecks implements RecordCodec.RecordVisitor {
        private final RecordBatch batch;
        private final ValidationConfig config;
        private final TimestampBounds bounds;
        private int count;
        private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        private int offsetDeltaOfMaxTimestamp;
        private RuntimeException firstDeltaFailure;
        private RuntimeException firstRecordFailure;

        RecordChecks(RecordBatch batch, ValidationConfig config, TimestampBounds bounds) {
            this.batch = batch;
            this.config = config;
            this.bounds = bounds;
        }

        @Override
        public void visit(int index, long offset, long timestamp, boolean nullKey) {
            count++;
            long delta = offset - batch.baseOffset();
            if (delta != index && firstDeltaFailure == null) {
                firstDeltaFailure = new InvalidRecordException("record " + index + " of the batch at position "
                        + batch.position() + " has offset delta " + delta
                        + "; produced batches must number their records 0.." + (batch.recordCount() - 1));
            }
            if (firstRecordFailure != null) {
                return;
            }
            if (config.compacted() && nullKey) {
                firstRecordFailure = new InvalidRecordException("record " + index + " of the batch at position "
                        + batch.position() + " has a null key; compacted topics require a key on every record");
                return;
            }
            if (config.timestampType() == TimestampType.CREATE_TIME) {
                try {
                    bounds.check(timestamp, index, batch.position());
                } catch (InvalidTimestampException e) {
                    firstRecordFailure = e;
                    return;
                }
                if (timestamp > maxTimestamp) {
                    maxTimestamp = timestamp;
                    offsetDeltaOfMaxTimestamp = index;
                }
            }
        }

        void throwFirstFailure() {
            if (firstDeltaFailure != null) {
                throw firstDeltaFailure;
            }
            if (firstRecordFailure != null) {
                throw firstRecordFailure;
            }
        }
    }

    private static ValidationResult stamp(List<CheckedBatch> checked, long firstOffset, int partitionLeaderEpoch,
                                          ValidationConfig config, long nowMs, int sizeInBytes) {
        boolean logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
        long nextOffset = firstOffset;
        long maxTimestamp = logAppendTime ? nowMs : RecordBatch.NO_TIMESTAMP;
        long offsetOfMaxTimestamp = firstOffset;
        for (CheckedBatch batch : checked) {
            RecordBatch view = batch.view();
            view.setBaseOffset(nextOffset);
            view.setPartitionLeaderEpoch(partitionLeaderEpoch);
            if (logAppendTime) {
                view.setMaxTimestamp(true, nowMs);
            } else {
                if (view.maxTimestamp() != batch.maxTimestamp()) {
                    view.setMaxTimestamp(false, batch.maxTimestamp());
                }
                if (batch.maxTimestamp() > maxTimestamp) {
                    maxTimestamp = batch.maxTimestamp();
                    offsetOfMaxTimestamp = nextOffset + batch.offsetDeltaOfMaxTimestamp();
                }
            }
            nextOffset += batch.recordCount();
        }
        int recordCount = Math.toIntExact(nextOffset - firstOffset);
        return new ValidationResult(firstOffset, nextOffset - 1, maxTimestamp, offsetOfMaxTimestamp,
                logAppendTime ? nowMs : RecordBatch.NO_TIMESTAMP, recordCount, checked.size(), sizeInBytes);
    }

    /** A batch that passed validation, with what stamping needs. */
    private record CheckedBatch(RecordBatch view, int recordCount, long maxTimestamp, int offsetDeltaOfMaxTimestamp) {
    }

    /** The accepted create-time window, computed once per request. */
    private record TimestampBounds(long nowMs, long lowerMs, long upperMs, ValidationConfig config) {

        static TimestampBounds of(ValidationConfig config, long nowMs) {
            // Both bounds are non-negative (ValidationConfig checks), so only these two overflows exist.
            long lower = nowMs < Long.MIN_VALUE + config.timestampBeforeMaxMs()
                    ? Long.MIN_VALUE : nowMs - config.timestampBeforeMaxMs();
            long upper = nowMs > Long.MAX_VALUE - config.timestampAfterMaxMs()
                    ? Long.MAX_VALUE : nowMs + config.timestampAfterMaxMs();
            return new TimestampBounds(nowMs, lower, upper, config);
        }

        void check(long timestampMs, int recordIndex, int batchPosition) {
            if (timestampMs < 0) {
                throw new InvalidTimestampException("record " + recordIndex + " of the batch at position " + batchPosition
                        + " has negative timestamp " + timestampMs + "; create-time topics require timestamps >= 0");
            }
            if (timestampMs < lowerMs || timestampMs > upperMs) {
                throw new InvalidTimestampException("record " + recordIndex + " of the batch at position " + batchPosition
                        + " has timestamp " + timestampMs + ", outside the accepted range [" + lowerMs + ", " + upperMs
                        + "] (broker time " + nowMs + " ms, timestampBeforeMaxMs " + config.timestampBeforeMaxMs()
                        + ", timestampAfterMaxMs " + config.timestampAfterMaxMs() + ")");
            }
        }
    }
}
