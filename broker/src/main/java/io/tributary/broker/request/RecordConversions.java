package io.tributary.broker.request;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.tributary.common.errors.UnsupportedCompressionTypeException;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordHeader;
import io.tributary.proto.v1.RecordList;
import io.tributary.proto.v1.TimestampType;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.Header;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between the language-neutral {@link Record} messages and v2 record batches: the broker
 * builds one batch from a produced {@link RecordList}, and decodes stored batches for fetches that
 * ask for records. Stateless.
 */
public final class RecordConversions {

    private RecordConversions() {
    }

    /**
     * Builds one v2 batch (base offset 0; the partition assigns the real one) from {@code records}.
     * A record timestamp of 0 means "now".
     *
     * @throws io.tributary.common.errors.InvalidRecordException when the list is empty
     */
    public static ByteBuffer toBatch(RecordList list, long nowMs) {
        if (list.getRecordsCount() == 0) {
            throw new io.tributary.common.errors.InvalidRecordException("the record list is empty");
        }
        RecordBatchBuilder builder = new RecordBatchBuilder().compression(compression(list.getCompression()));
        for (Record record : list.getRecordsList()) {
            long timestamp = record.getTimestampMs() == 0 ? nowMs : record.getTimestampMs();
            List<Header> headers = new ArrayList<>(record.getHeadersCount());
            for (RecordHeader header : record.getHeadersList()) {
                headers.add(new Header(header.getKey(), header.hasValue() ? header.getValue().toByteArray() : null));
            }
            builder.append(timestamp, record.hasKey() ? record.getKey().toByteArray() : null,
                    record.hasValue() ? record.getValue().toByteArray() : null, headers);
        }
        return builder.build();
    }

    /** Maps the API codec to the storage codec; UNSPECIFIED means none. */
    public static CompressionType compression(io.tributary.proto.v1.CompressionType type) {
        return switch (type) {
            case COMPRESSION_TYPE_UNSPECIFIED, COMPRESSION_TYPE_NONE -> CompressionType.NONE;
            case COMPRESSION_TYPE_GZIP -> CompressionType.GZIP;
            case COMPRESSION_TYPE_SNAPPY -> CompressionType.SNAPPY;
            case COMPRESSION_TYPE_LZ4 -> CompressionType.LZ4;
            case COMPRESSION_TYPE_ZSTD -> CompressionType.ZSTD;
            case UNRECOGNIZED -> throw new UnsupportedCompressionTypeException("unknown compression type");
        };
    }

    /**
     * Decodes {@code batches} into records with offsets at or after {@code fromOffset}, skipping
     * control batches (transaction markers are not data).
     */
    public static RecordList toRecords(ByteBuffer batches, long fromOffset) {
        RecordList.Builder list = RecordList.newBuilder();
        for (RecordBatch batch : MemoryRecords.readableRecords(batches)) {
            if (batch.isControlBatch()) {
                continue;
            }
            TimestampType type = batch.isLogAppendTime() ? TimestampType.TIMESTAMP_TYPE_LOG_APPEND_TIME
                    : TimestampType.TIMESTAMP_TYPE_CREATE_TIME;
            for (io.tributary.common.record.Record record : batch.records()) {
                if (record.offset() < fromOffset) {
                    continue;
                }
                list.addRecords(toProto(record, type, batch.partitionLeaderEpoch()));
            }
        }
        return list.build();
    }

    /**
     * How many records {@link #toRecords} would return for {@code batches}, read from the batch
     * headers only (no record is decoded): a batch wholly at or after {@code fromOffset} counts its
     * record count; the first batch, when a fetch starts inside it, counts the offsets from
     * {@code fromOffset} to its last (exact unless compaction removed records from that very batch).
     */
    public static long countRecords(ByteBuffer batches, long fromOffset) {
        long count = 0;
        for (RecordBatch batch : MemoryRecords.readableRecords(batches)) {
            if (batch.isControlBatch() || batch.lastOffset() < fromOffset) {
                continue;
            }
            count += batch.baseOffset() >= fromOffset ? batch.recordCount()
                    : Math.min(batch.recordCount(), batch.lastOffset() - fromOffset + 1);
        }
        return count;
    }

    private static Record toProto(io.tributary.common.record.Record record, TimestampType type, int leaderEpoch) {
        Record.Builder proto = Record.newBuilder().setOffset(record.offset()).setTimestampMs(record.timestamp())
                .setTimestampType(type).setLeaderEpoch(leaderEpoch);
        if (record.key() != null) {
            proto.setKey(UnsafeByteOperations.unsafeWrap(record.key()));
        }
        if (record.value() != null) {
            proto.setValue(UnsafeByteOperations.unsafeWrap(record.value()));
        }
        for (Header header : record.headers()) {
            RecordHeader.Builder h = RecordHeader.newBuilder().setKey(header.key());
            if (header.value() != null) {
                h.setValue(UnsafeByteOperations.unsafeWrap(header.value()));
            }
            proto.addHeaders(h);
        }
        return proto.build();
    }

    /** A writable heap copy of produced raw batches (the partition stamps offsets into it). */
    public static ByteBuffer writableCopy(ByteString bytes) {
        return ByteBuffer.wrap(bytes.toByteArray());
    }
}
