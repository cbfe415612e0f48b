package io.tributary.client.serialization;


import java.nio.ByteBuffer;

/** Deserializes {@code Short} as 2 big-endian bytes, as Kafka does. */
public final class ShortDeserializer implements Deserializer<Short> {

    @Override
    public Short deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.require(topic, data, Short.BYTES, "Short");
        return ByteBuffer.wrap(data).getShort();
    }
}
