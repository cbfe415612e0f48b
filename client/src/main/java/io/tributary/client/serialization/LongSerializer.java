package io.tributary.client.serialization;

import java.nio.ByteBuffer;

/** Serializes {@code Long} as 8 big-endian bytes, as Kafka does. */
public final class LongSerializer implements Serializer<Long> {

    @Override
    public byte[] serialize(String topic, Long data) {
        if (data == null) {
            return null;
        }
        return ByteBuffer.allocate(Long.BYTES).putLong(data).array();
    }
}
