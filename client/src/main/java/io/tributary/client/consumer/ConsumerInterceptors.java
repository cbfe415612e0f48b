package io.tributary.client.consumer;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls the configured interceptors in order; an interceptor's exception is logged, never propagated. */
final class ConsumerInterceptors<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerInterceptors.class);

    private final List<ConsumerInterceptor<K, V>> interceptors;

    @SuppressWarnings({"unchecked", "rawtypes"})
    ConsumerInterceptors(List<ConsumerInterceptor> interceptors, Map<String, ?> configs) {
        this.interceptors = (List) List.copyOf(interceptors);
        for (ConsumerInterceptor<K, V> interceptor : this.interceptors) {
            interceptor.configure(configs);
        }
    }

    ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records) {
        ConsumerRecords<K, V> current = records;
        for (ConsumerInterceptor<K, V> interceptor : interceptors) {
            try {
                current = interceptor.onConsume(current);
            } catch (RuntimeException e) {
                log.warn("Consumer interceptor {} threw in onConsume; the records continue unchanged by it",
                        interceptor.getClass().getName(), e);
            }
        }
        return current;
    }

    @Override
    public void close() {
        for (ConsumerInterceptor<K, V> interceptor : interceptors) {
            try {
                interceptor.close();
            } catch (RuntimeException e) {
                log.warn("Closing consumer interceptor {} failed", interceptor.getClass().getName(), e);
            }
        }
    }
}
