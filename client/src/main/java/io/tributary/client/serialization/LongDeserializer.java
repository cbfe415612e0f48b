package io.tributary.client.serialization;


import java.nio.ByteBuffer;

/** Deserializes {@code Long} as 8 big-endian bytes, as Kafka does. */
public final class LongDeserializer implements Deserializer<Long> {

    @Override
    public Long deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        Sizes.require(topic, data, Long.BYTES, "Long");
        return ByteBuffer.wrap(data).getLong();
    }
}
