package io.tributary.client.producer;

/**
 * Where an acknowledged record landed.
 *
 * @param topic               the topic
 * @param partition           the partition, or -1 when the record failed before one was chosen
 * @param offset              the record's offset, or -1 with {@code acks=0} (the broker does not answer)
 *                            and on failure
 * @param timestamp           the record's timestamp: the create time, or the broker's append time for
 *                            topics with {@code message.timestamp.type=LogAppendTime}; -1 if unknown
 * @param serializedKeySize   bytes of the serialized key, -1 for a null key
 * @param serializedValueSize bytes of the serialized value, -1 for a null value
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp, int serializedKeySize,
                             int serializedValueSize) {

    /** Whether the broker reported an offset (false with {@code acks=0}). */
    public boolean hasOffset() {
        return offset >= 0;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
