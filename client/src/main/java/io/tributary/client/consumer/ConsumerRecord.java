package io.tributary.client.consumer;

import io.tributary.client.Headers;
import io.tributary.common.TopicPartition;
import io.tributary.common.record.TimestampType;
import java.util.Optional;

/**
 * A record read from a partition.
 *
 * @param topic               the topic
 * @param partition           the partition
 * @param offset              the record's offset
 * @param timestamp           create time or log append time, see {@code timestampType}
 * @param timestampType       which of the two {@code timestamp} is
 * @param serializedKeySize   bytes of the key, -1 for a null key
 * @param serializedValueSize bytes of the value, -1 for a null value (a tombstone)
 * @param key                 the deserialized key
 * @param value               the deserialized value
 * @param headers             the record's headers
 * @param leaderEpoch         the leader epoch the record was written in, if known
 */
public record ConsumerRecord<K, V>(String topic, int partition, long offset, long timestamp,
                                   TimestampType timestampType, int serializedKeySize, int serializedValueSize,
                                   K key, V value, Headers headers, Optional<Integer> leaderEpoch) {

    /** A record with only the essentials (for tests and interceptors that build records). */
    public ConsumerRecord(String topic, int partition, long offset, K key, V value) {
        this(topic, partition, offset, -1, TimestampType.CREATE_TIME, -1, -1, key, value, new Headers(),
                Optional.empty());
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return "ConsumerRecord(topic=" + topic + ", partition=" + partition + ", offset=" + offset + ", "
                + timestampType + "=" + timestamp + ", key=" + key + ", value=" + value + ", headers=" + headers + ")";
    }
}
