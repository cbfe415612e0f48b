package io.tributary.storage.inspect;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.common.errors.UnsupportedForMessageFormatException;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.EndTransactionMarker;
import io.tributary.common.record.Header;
import io.tributary.common.record.Record;
import io.tributary.common.record.RecordBatch;
import io.tributary.storage.internal.segment.BatchScan;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.io.FileHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a segment file ({@code <base offset>.log}) holds, batch by batch, read as the log's recovery
 * reads it: each batch is framed by its declared length and checked by {@link RecordBatch#ensureValid()}
 * (magic, sizes, CRC32C). A batch that fails its checks but is framed soundly is reported invalid and
 * the reading goes on after it; bytes that cannot be framed (a torn tail, a garbage length) end the
 * reading, and {@link #endProblem()} says where and why.
 *
 * @param file           the segment file
 * @param baseOffset     the base offset its name encodes
 * @param fileBytes      its size when it was read
 * @param batches        the batches read, in file order
 * @param endProblem     where and why the readable data ends before the file does, or null
 * @param unreadBytes    bytes after the readable data when {@link #endProblem()} is set, else 0
 */
public record SegmentDump(Path file, long baseOffset, long fileBytes, List<BatchDump> batches, String endProblem,
        long unreadBytes) {

    /** Segment files end with this. */
    public static final String LOG_SUFFIX = LogSegment.LOG_SUFFIX;

    public SegmentDump {
        batches = List.copyOf(batches);
    }

    /** Whether a batch is invalid or the readable data ends early. */
    public boolean hasProblems() {
        return endProblem != null || batches.stream().anyMatch(BatchDump::hasProblem);
    }

    /**
     * Reads a segment file.
     *
     * @param deep     whether to decode every record (decompressing) rather than only batch headers
     * @param maxBytes stop after the batch that reaches this many bytes into the file
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the file is not named like a segment
     */
    public static SegmentDump read(Path file, boolean deep, long maxBytes) throws IOException {
        long baseOffset = SegmentFileNames.baseOffset(file, LOG_SUFFIX);
        List<BatchDump> batches = new ArrayList<>();
        try (FileHandle handle = ReadOnlyFileIo.INSTANCE.open(file)) {
            long fileBytes = handle.size();
            ByteBuffer buffer = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
            int position = 0;
            while (position < fileBytes && position < maxBytes) {
                buffer = BatchScan.readCandidate(handle, buffer, position, fileBytes);
                String framing = framingProblem(buffer, fileBytes - position);
                if (framing != null) {
                    return new SegmentDump(file, baseOffset, fileBytes, batches, "position " + position + ": " + framing,
                            fileBytes - position);
                }
                BatchDump batch = describe(new RecordBatch(buffer, 0), position, deep);
                batches.add(batch);
                position += batch.sizeBytes();
            }
            return new SegmentDump(file, baseOffset, fileBytes, batches, null, 0);
        }
    }

    /** Why the bytes at a position cannot be taken as a batch whose size is known, or null. */
    private static String framingProblem(ByteBuffer candidate, long remainingBytes) {
        if (candidate.limit() < RecordBatch.HEADER_SIZE) {
            return "only " + remainingBytes + " bytes remain, less than a batch header (" + RecordBatch.HEADER_SIZE
                    + " bytes)";
        }
        long declared = candidate.getInt(RecordBatch.LENGTH_OFFSET) + (long) RecordBatch.LOG_OVERHEAD;
        if (declared < RecordBatch.HEADER_SIZE) {
            return "the batch declares " + declared + " bytes, less than a batch header (" + RecordBatch.HEADER_SIZE
                    + " bytes)";
        }
        if (declared > remainingBytes) {
            return "the batch declares " + declared + " bytes but only " + remainingBytes + " remain (a torn write)";
        }
        return null;
    }

    private static BatchDump describe(RecordBatch batch, int position, boolean deep) {
        String problem = null;
        try {
            batch.ensureValid();
        } catch (CorruptRecordException | UnsupportedForMessageFormatException e) {
            problem = e.getMessage().replace("at position 0", "at position " + position);
        }
        boolean valid = problem == null;
        List<RecordDump> records = List.of();
        if (deep && batch.magic() == RecordBatch.MAGIC_V2) {
            try {
                records = records(batch);
            } catch (RuntimeException e) {
                String decoding = "its records cannot be decoded: " + e.getMessage();
                problem = problem == null ? decoding : problem + "; " + decoding;
            }
        }
        OptionalLong deleteHorizonMs = batch.hasDeleteHorizonMs() ? OptionalLong.of(batch.baseTimestamp())
                : OptionalLong.empty();
        return new BatchDump(position, batch.baseOffset(), batch.lastOffset(), batch.recordCount(), batch.baseSequence(),
                sequenceAt(batch.baseSequence(), batch.lastOffsetDelta()), batch.producerId(), batch.producerEpoch(),
                batch.partitionLeaderEpoch(), batch.isTransactional(), batch.isControlBatch(), deleteHorizonMs,
                batch.timestampType(), batch.maxTimestamp(), batch.sizeInBytes(), batch.magic(), codecName(batch),
                batch.checksum(), valid, problem, records);
    }

    private static List<RecordDump> records(RecordBatch batch) {
        List<RecordDump> records = new ArrayList<>();
        for (Record record : batch.records()) {
            EndTransactionMarker marker = null;
            if (batch.isControlBatch()) {
                try {
                    marker = EndTransactionMarker.fromRecord(record);
                } catch (RuntimeException notAMarker) {
                    // A control record of another kind (a Raft leader's control entry): shown without a marker.
                }
            }
            int delta = (int) (record.offset() - batch.baseOffset());
            records.add(new RecordDump(record.offset(), record.timestamp(), sizeOf(record.key()), sizeOf(record.value()),
                    sequenceAt(batch.baseSequence(), delta), record.headers().stream().map(Header::key).toList(),
                    record.key(), record.value(), marker));
        }
        return records;
    }

    /** Kafka's sequence arithmetic: -1 stays -1, and sequences wrap from Integer.MAX_VALUE to 0. */
    private static int sequenceAt(int baseSequence, int delta) {
        if (baseSequence < 0) {
            return RecordBatch.NO_SEQUENCE;
        }
        return baseSequence > Integer.MAX_VALUE - delta ? delta - (Integer.MAX_VALUE - baseSequence) - 1
                : baseSequence + delta;
    }

    private static int sizeOf(byte[] bytes) {
        return bytes == null ? -1 : bytes.length;
    }

    private static String codecName(RecordBatch batch) {
        for (CompressionType type : CompressionType.values()) {
            if (type.id() == batch.compressionCodecId()) {
                return type.configName();
            }
        }
        return "unknown(" + batch.compressionCodecId() + ")";
    }
}
