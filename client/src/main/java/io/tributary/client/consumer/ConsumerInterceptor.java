package io.tributary.client.consumer;

import java.util.Map;

/**
 * Sees the records {@code poll()} returns before the application does. Named in
 * {@code interceptor.classes}; exceptions it throws are logged and ignored, as in Kafka.
 */
public interface ConsumerInterceptor<K, V> extends AutoCloseable {

    /** Receives the consumer's configuration once, before the first call. */
    default void configure(Map<String, ?> configs) {
    }

    /** Called in {@code poll()} on the application thread; may return different records. */
    ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records);

    @Override
    default void close() {
    }
}
