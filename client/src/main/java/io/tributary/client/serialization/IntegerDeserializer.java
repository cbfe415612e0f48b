package io.tributary.client.serialization;


import java.nio.ByteBuffer;

/** Deserializes {@code Integer} as 4 big-endian bytes, as Kafka does. */
public final class IntegerDeserializer implements Deserializer<Integer> {

    @Override
    public Integer deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.require(topic, data, Integer.BYTES, "Integer");
        return ByteBuffer.wrap(data).getInt();
    }
}
