package io.tributary.client.serialization;


import java.nio.ByteBuffer;

/** Deserializes {@code Double} as its 8-byte IEEE 754 bits, big-endian, as Kafka does. */
public final class DoubleDeserializer implements Deserializer<Double> {

    @Override
    public Double deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.require(topic, data, Double.BYTES, "Double");
        return ByteBuffer.wrap(data).getDouble();
    }
}
