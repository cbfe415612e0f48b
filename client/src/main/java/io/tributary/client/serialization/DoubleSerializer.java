package io.tributary.client.serialization;

import java.nio.ByteBuffer;

/** Serializes {@code Double} as its 8-byte IEEE 754 bits, big-endian, as Kafka does. */
public final class DoubleSerializer implements Serializer<Double> {

    @Override
    public byte[] serialize(String topic, Double data) {
        if (data == null) {
            return null;
        }
        return ByteBuffer.allocate(Double.BYTES).putDouble(data).array();
    }
}
