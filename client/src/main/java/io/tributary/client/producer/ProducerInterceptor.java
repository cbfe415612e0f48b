package io.tributary.client.producer;

import java.util.Map;

/**
 * Sees every record before it is serialized and every acknowledgement. Named in
 * {@code interceptor.classes}; exceptions it throws are logged and ignored, as in Kafka.
 */
public interface ProducerInterceptor<K, V> extends AutoCloseable {

    /** Receives the producer's configuration once, before the first call. */
    default void configure(Map<String, ?> configs) {
    }

    /** Called in {@code send()} on the sending thread; may return a different record. */
    ProducerRecord<K, V> onSend(ProducerRecord<K, V> record);

    /** Called on the network thread when the record is acknowledged or fails; must be fast. */
    void onAcknowledgement(RecordMetadata metadata, Exception exception);

    @Override
    default void close() {
    }
}
