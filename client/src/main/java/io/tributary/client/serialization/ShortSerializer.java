package io.tributary.client.serialization;

import java.nio.ByteBuffer;

/** Serializes {@code Short} as 2 big-endian bytes, as Kafka does. */
public final class ShortSerializer implements Serializer<Short> {

    @Override
    public byte[] serialize(String topic, Short data) {
        if (data == null) {
            return null;
        }
        return ByteBuffer.allocate(Short.BYTES).putShort(data).array();
    }
}
