package io.tributary.client.serialization;

/** Serializes {@code byte[]} unchanged. */
public final class ByteArraySerializer implements Serializer<byte[]> {

    @Override
    public byte[] serialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        return data;
    }
}
