package io.tributary.broker.controller;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tributary.broker.metadata.MetadataLoader.CommittedRecord;
import io.tributary.common.Time;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.storage.FetchDataInfo;
import io.tributary.storage.Log;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.Record;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata log of a single combined node: records are stored in a storage {@link Log} (one v2
 * batch per append, so an append is atomic across a crash), fsynced before they count as committed.
 *
 * <p>Used only from the controller thread.
 */
public final class LocalMetadataLog implements MetadataLog {

    private static final int READ_CHUNK_BYTES = 1 << 20;

    private final Log log;
    private final Time time;

    public LocalMetadataLog(Log log, Time time) {
        this.log = log;
        this.time = time;
    }

    @Override
    public List<CommittedRecord> appendAndCommit(List<MetadataRecord> records) {
        long baseOffset = log.logEndOffset();
        RecordBatchBuilder builder = new RecordBatchBuilder().baseOffset(baseOffset).partitionLeaderEpoch(0);
        long nowMs = time.milliseconds();
        for (MetadataRecord record : records) {
            builder.append(nowMs, null, record.toByteArray(), List.of());
        }
        log.append(builder.build());
        long committedEnd = log.flush();
        log.updateHighWatermark(committedEnd);
        List<CommittedRecord> committed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            committed.add(new CommittedRecord(baseOffset + i, records.get(i)));
        }
        return committed;
    }

    @Override
    public List<CommittedRecord> readCommitted() {
        List<CommittedRecord> committed = new ArrayList<>();
        long end = log.logEndOffset();
        long next = log.logStartOffset();
        while (next < end) {
            FetchDataInfo data = log.read(next, READ_CHUNK_BYTES, end, true);
            ByteBuffer bytes = data.records();
            if (!bytes.hasRemaining()) {
                break;
            }
            for (RecordBatch batch : MemoryRecords.readableRecords(bytes)) {
                for (Record record : batch.records()) {
                    committed.add(new CommittedRecord(record.offset(), parse(record)));
                }
                next = batch.nextOffset();
            }
        }
        log.updateHighWatermark(end);
        return committed;
    }

    private static MetadataRecord parse(Record record) {
        try {
            return MetadataRecord.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("metadata log record at offset " + record.offset()
                    + " is not a MetadataRecord", e);
        }
    }

    @Override
    public void close() {
        // The log itself belongs to the LogManager, which flushes and closes it at shutdown.
    }
}
