package io.tributary.client.producer;

import io.tributary.client.Headers;
import io.tributary.common.record.Header;
import java.util.Objects;

/**
 * A record to send: a topic, an optional partition (else the partitioner chooses), an optional
 * timestamp (else the send time), a key, a value and headers.
 */
public final class ProducerRecord<K, V> {

    private final String topic;
    private final Integer partition;
    private final Long timestamp;
    private final K key;
    private final V value;
    private final Headers headers;

    public ProducerRecord(String topic, Integer partition, Long timestamp, K key, V value, Iterable<Header> headers) {
        this.topic = Objects.requireNonNull(topic, "topic");
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("invalid partition " + partition + ": partitions are numbered from 0");
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException("invalid timestamp " + timestamp + ": timestamps cannot be negative");
        }
        this.partition = partition;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.headers = headers instanceof Headers given ? given : new Headers(headers);
    }

    public ProducerRecord(String topic, Integer partition, Long timestamp, K key, V value) {
        this(topic, partition, timestamp, key, value, null);
    }

    public ProducerRecord(String topic, Integer partition, K key, V value, Iterable<Header> headers) {
        this(topic, partition, null, key, value, headers);
    }

    public ProducerRecord(String topic, Integer partition, K key, V value) {
        this(topic, partition, null, key, value, null);
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, null);
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, null);
    }

    public String topic() {
        return topic;
    }

    /** The partition asked for, or null to let the partitioner choose. */
    public Integer partition() {
        return partition;
    }

    /** The timestamp asked for, or null to use the send time. */
    public Long timestamp() {
        return timestamp;
    }

    public K key() {
        return key;
    }

    public V value() {
        return value;
    }

    public Headers headers() {
        return headers;
    }

    @Override
    public String toString() {
        return "ProducerRecord(topic=" + topic + ", partition=" + partition + ", headers=" + headers + ", key=" + key
                + ", value=" + value + ", timestamp=" + timestamp + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProducerRecord<?, ?> that && topic.equals(that.topic)
                && Objects.equals(partition, that.partition) && Objects.equals(timestamp, that.timestamp)
                && Objects.equals(key, that.key) && Objects.equals(value, that.value) && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, timestamp, key, value, headers);
    }
}
