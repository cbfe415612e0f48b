package io.tributary.client.producer;

import io.tributary.client.PartitionInfo;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;

/** Sends records to Tributary, as Kafka's {@code Producer} does. Implementations are thread-safe. */
public interface Producer<K, V> extends Closeable {

    /** Sends asynchronously; the future completes when the record is acknowledged or fails. */
    Future<RecordMetadata> send(ProducerRecord<K, V> record);

    /** Sends asynchronously and calls {@code callback} (if not null) on completion. */
    Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback);

    /** Sends every buffered record now and blocks until all sent before the call completed. */
    void flush();

    /** The partitions of {@code topic}, waiting up to {@code max.block.ms} for metadata. */
    List<PartitionInfo> partitionsFor(String topic);

    /** Sends what is buffered and waits for it without a time limit, then releases resources. */
    @Override
    void close();

    /** As {@link #close()}, failing records still unsent when {@code timeout} passes. */
    void close(Duration timeout);
}
