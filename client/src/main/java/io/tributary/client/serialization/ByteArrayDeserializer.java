package io.tributary.client.serialization;


/** Deserializes {@code byte[]} unchanged. */
public final class ByteArrayDeserializer implements Deserializer<byte[]> {

    @Override
    public byte[] deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        return data;
    }
}
