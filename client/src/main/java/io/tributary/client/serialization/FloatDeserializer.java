package io.tributary.client.serialization;


import java.nio.ByteBuffer;

/** Deserializes {@code Float} as its 4-byte IEEE 754 bits, big-endian, as Kafka does. */
public final class FloatDeserializer implements Deserializer<Float> {

    @Override
    public Float deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.require(topic, data, Float.BYTES, "Float");
        return ByteBuffer.wrap(data).getFloat();
    }
}
