package io.tributary.client.serialization;

import java.nio.ByteBuffer;

/** Serializes {@code Float} as its 4-byte IEEE 754 bits, big-endian, as Kafka does. */
public final class FloatSerializer implements Serializer<Float> {

    @Override
    public byte[] serialize(String topic, Float data) {
        if (data == null) {
            return null;
        }
        return ByteBuffer.allocate(Float.BYTES).putFloat(data).array();
    }
}
