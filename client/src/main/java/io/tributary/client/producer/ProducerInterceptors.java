package io.tributary.client.producer;

import io.tributary.common.TopicPartition;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls the configured interceptors in order; an interceptor's exception is logged, never propagated. */
final class ProducerInterceptors<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProducerInterceptors.class);

    private final List<ProducerInterceptor<K, V>> interceptors;

    @SuppressWarnings({"unchecked", "rawtypes"})
    ProducerInterceptors(List<ProducerInterceptor> interceptors, Map<String, ?> configs) {
        this.interceptors = (List) List.copyOf(interceptors);
        for (ProducerInterceptor<K, V> interceptor : this.interceptors) {
            interceptor.configure(configs);
        }
    }

    ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
        ProducerRecord<K, V> current = record;
        for (ProducerInterceptor<K, V> interceptor : interceptors) {
            try {
                current = interceptor.onSend(current);
            } catch (RuntimeException e) {
                log.warn("Producer interceptor {} threw in onSend; the record continues unchanged by it",
                        interceptor.getClass().getName(), e);
            }
        }
        return current;
    }

    void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        for (ProducerInterceptor<K, V> interceptor : interceptors) {
            try {
                interceptor.onAcknowledgement(metadata, exception);
            } catch (RuntimeException e) {
                log.warn("Producer interceptor {} threw in onAcknowledgement", interceptor.getClass().getName(), e);
            }
        }
    }

    /** Reports a record that {@code send()} rejected before it reached the accumulator. */
    void onSendError(ProducerRecord<K, V> record, TopicPartition tp, Exception exception) {
        int partition = tp != null ? tp.partition() : record.partition() == null ? -1 : record.partition();
        onAcknowledgement(new RecordMetadata(record.topic(), partition, -1, -1, -1, -1), exception);
    }

    @Override
    public void close() {
        for (ProducerInterceptor<K, V> interceptor : interceptors) {
            try {
                interceptor.close();
            } catch (RuntimeException e) {
                log.warn("Closing producer interceptor {} failed", interceptor.getClass().getName(), e);
            }
        }
    }
}
