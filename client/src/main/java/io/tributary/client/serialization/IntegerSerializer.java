package io.tributary.client.serialization;

import java.nio.ByteBuffer;

/** Serializes {@code Integer} as 4 big-endian bytes, as Kafka does. */
public final class IntegerSerializer implements Serializer<Integer> {

    @Override
    public byte[] serialize(String topic, Integer data) {
        if (data == null) {
            return null;
        }
        return ByteBuffer.allocate(Integer.BYTES).putInt(data).array();
    }
}
