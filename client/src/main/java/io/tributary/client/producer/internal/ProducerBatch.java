package io.tributary.client.producer.internal;

import io.tributary.client.producer.Callback;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.Header;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Records for one partition that travel together as one v2 record batch. Appended to under the
 * partition queue's lock until closed; built (and compressed) once, so every retry resends the same
 * bytes; completed exactly once, by the thread handling the response or the failure.
 */
public final class ProducerBatch {

    /** Upper bound of a record's framing in a v2 batch: length, attributes, deltas, key and value lengths. */
    private static final int RECORD_OVERHEAD_UPPER_BOUND = 5 + 1 + 10 + 5 + 5 + 5 + 5;

    private final TopicPartition topicPartition;
    private final long createdMs;
    private final int reservedBytes;
    private final byte[] initialBuffer;
    private final RecordBatchBuilder builder;
    private final List<Thunk> thunks = new ArrayList<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private ByteBuffer built;
    private boolean closed;
    private int attempts;
    private long retryNotBeforeMs;

    private record Thunk(CompletableFuture<RecordMetadata> future, Callback callback, long timestamp, int keySize,
                         int valueSize) {
    }

    /** Set while this thread completes batches and runs their callbacks. */
    private static final ThreadLocal<Boolean> COMPLETING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    ProducerBatch(TopicPartition topicPartition, CompressionType compression, long createdMs, int reservedBytes,
                  byte[] buffer) {
        this.topicPartition = topicPartition;
        this.createdMs = createdMs;
        this.reservedBytes = reservedBytes;
        this.initialBuffer = buffer;
        this.builder = new RecordBatchBuilder(buffer).compression(compression);
    }

    /**
     * Whether the calling thread is running send callbacks: a {@code flush()} or a waiting
     * {@code close()} there would wait for the very batch whose callback is running.
     */
    public static boolean isCompletingOnThisThread() {
        return COMPLETING.get();
    }

    /** The array the batch was built in; reusable once the broker answered the batch's request. */
    byte[] initialBuffer() {
        return initialBuffer;
    }

    /** An upper bound of the bytes a record adds to a batch. */
    public static int estimateRecordBytes(byte[] key, byte[] value, List<Header> headers) {
        int size = RECORD_OVERHEAD_UPPER_BOUND + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += 10 + 3 * header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    /** An upper bound of a batch holding just this record. */
    public static int estimateBatchBytes(byte[] key, byte[] value, List<Header> headers) {
        return RecordBatch.HEADER_SIZE + estimateRecordBytes(key, value, headers);
    }

    /**
     * Appends a record if the batch is open and either empty or still within {@code batchSizeBytes}
     * with it; returns the record's future, or null when the caller must start a new batch.
     */
    CompletableFuture<RecordMetadata> tryAppend(long timestamp, byte[] key, byte[] value, List<Header> headers,
                                                Callback callback, int batchSizeBytes) {
        if (closed) {
            return null;
        }
        int recordBytes = estimateRecordBytes(key, value, headers);
        if (builder.recordCount() > 0 && builder.uncompressedSizeInBytes() + recordBytes > batchSizeBytes) {
            closed = true;
            return null;
        }
        builder.append(timestamp, key, value, headers);
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        thunks.add(new Thunk(future, callback, timestamp, key == null ? -1 : key.length,
                value == null ? -1 : value.length));
        return future;
    }

    /** No more records; called when the batch is drained for sending or a newer batch follows it. */
    void close() {
        closed = true;
    }

    boolean isFull(int batchSizeBytes) {
        return closed || builder.uncompressedSizeInBytes() >= batchSizeBytes;
    }

    /** The batch's bytes, built and compressed on the first call. Callers must {@link #close()} first. */
    ByteBuffer bytes() {
        if (built == null) {
            built = builder.build();
        }
        return built.duplicate();
    }

    /** Completes every record: offsets from {@code baseOffset}, the broker's append time if it set one. */
    void complete(long baseOffset, long logAppendTimeMs, BiConsumer<RecordMetadata, Exception> onEach) {
        boolean outermost = !COMPLETING.get();
        COMPLETING.set(Boolean.TRUE);
        try {
            completeEach(baseOffset, logAppendTimeMs, onEach);
        } finally {
            if (outermost) {
                COMPLETING.set(Boolean.FALSE);
            }
        }
        completion.complete(null);
    }

    private void completeEach(long baseOffset, long logAppendTimeMs, BiConsumer<RecordMetadata, Exception> onEach) {
        for (int i = 0; i < thunks.size(); i++) {
            Thunk thunk = thunks.get(i);
            long offset = baseOffset < 0 ? -1 : baseOffset + i;
            long timestamp = logAppendTimeMs >= 0 ? logAppendTimeMs : thunk.timestamp();
            RecordMetadata metadata = new RecordMetadata(topicPartition.topic(), topicPartition.partition(), offset, timestamp, thunk.keySize(),
                    thunk.valueSize());
            finish(thunk, metadata, null, onEach);
        }
    }

    /** Fails every record with {@code error}. */
    void fail(RuntimeException error, BiConsumer<RecordMetadata, Exception> onEach) {
        boolean outermost = !COMPLETING.get();
        COMPLETING.set(Boolean.TRUE);
        try {
            for (Thunk thunk : thunks) {
                RecordMetadata metadata = new RecordMetadata(topicPartition.topic(), topicPartition.partition(), -1,
                        thunk.timestamp(), thunk.keySize(), thunk.valueSize());
                finish(thunk, metadata, error, onEach);
            }
        } finally {
            if (outermost) {
                COMPLETING.set(Boolean.FALSE);
            }
        }
        completion.complete(null);
    }

    private static void finish(Thunk thunk, RecordMetadata metadata, RuntimeException error,
                               BiConsumer<RecordMetadata, Exception> onEach) {
        onEach.accept(metadata, error);
        if (thunk.callback() != null) {
            try {
                thunk.callback().onCompletion(metadata, error);
            } catch (RuntimeException e) {
                CallbackErrors.log(metadata, e);
            }
        }
        if (error == null) {
            thunk.future().complete(metadata);
        } else {
            thunk.future().completeExceptionally(error);
        }
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    long createdMs() {
        return createdMs;
    }

    int reservedBytes() {
        return reservedBytes;
    }

    int recordCount() {
        return builder.recordCount();
    }

    int attempts() {
        return attempts;
    }

    /** Records a failed attempt; the batch may be resent from {@code notBeforeMs}. */
    void retryAt(long notBeforeMs) {
        attempts++;
        retryNotBeforeMs = notBeforeMs;
    }

    long retryNotBeforeMs() {
        return retryNotBeforeMs;
    }

    /** Completes when every record of the batch completed (used by flush). */
    CompletableFuture<Void> completion() {
        return completion;
    }

    @Override
    public String toString() {
        return "ProducerBatch(" + topicPartition + ", " + builder.recordCount() + " records)";
    }
}
