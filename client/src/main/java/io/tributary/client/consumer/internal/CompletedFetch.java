package io.tributary.client.consumer.internal;

import io.tributary.common.TopicPartition;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.Record;
import io.tributary.common.record.RecordBatch;
import java.util.Iterator;
import java.util.List;

/**
 * The batches one fetch returned for one partition, handed out record by record as polls ask for
 * them. Batches are decoded (and decompressed) one at a time, when reached. Control batches and
 * records below the fetch offset (a batch can start before it) are skipped.
 */
final class CompletedFetch {

    private final TopicPartition partition;
    private final long fetchOffset;
    private final boolean checkCrcs;
    private final Iterator<RecordBatch> batches;
    private RecordBatch currentBatch;
    private List<Record> currentRecords;
    private int nextIndex;
    private long nextOffset;

    CompletedFetch(TopicPartition partition, long fetchOffset, MemoryRecords records, boolean checkCrcs) {
        this.partition = partition;
        this.fetchOffset = fetchOffset;
        this.checkCrcs = checkCrcs;
        this.batches = records.iterator();
        this.nextOffset = fetchOffset;
    }

    TopicPartition partition() {
        return partition;
    }

    /** The offset this fetch was for: its records are valid only while the position still equals it. */
    long fetchOffset() {
        return fetchOffset;
    }

    /** The offset after the last record handed out (or skipped): the partition's next position. */
    long nextOffset() {
        return nextOffset;
    }

    /**
     * Hands up to {@code max} records to {@code sink}, in order, with the batch each came from.
     *
     * @return how many were handed out
     */
    int drain(int max, RecordSink sink) {
        int handed = 0;
        while (handed < max) {
            if (currentRecords == null || nextIndex >= currentRecords.size()) {
                if (!advanceBatch()) {
                    break;
                }
                continue;
            }
            Record record = currentRecords.get(nextIndex++);
            if (record.offset() < nextOffset) {
                continue;
            }
            try {
                sink.accept(currentBatch, record);
            } catch (RuntimeException e) {
                nextIndex--; // the record stays next, as in Kafka: the application decides whether to seek past it
                throw e;
            }
            nextOffset = record.offset() + 1;
            handed++;
        }
        return handed;
    }

    /** Whether every record was handed out. */
    boolean isDrained() {
        return (currentRecords == null || nextIndex >= currentRecords.size()) && !batches.hasNext();
    }

    private boolean advanceBatch() {
        if (currentBatch != null) {
            // Compaction can leave a batch's last offsets without records; the position still moves past them.
            nextOffset = Math.max(nextOffset, currentBatch.nextOffset());
        }
        while (batches.hasNext()) {
            RecordBatch batch = batches.next();
            if (batch.lastOffset() < nextOffset) {
                continue;
            }
            if (checkCrcs) {
                batch.ensureValid();
            }
            if (batch.isControlBatch()) {
                nextOffset = batch.nextOffset();
                continue;
            }
            currentBatch = batch;
            currentRecords = batch.records();
            nextIndex = 0;
            return true;
        }
        currentRecords = null;
        return false;
    }

    /** Receives records as they are handed out. */
    @FunctionalInterface
    interface RecordSink {
        void accept(RecordBatch batch, Record record);
    }
}
