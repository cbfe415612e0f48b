package io.tributary.client.serialization;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Serializes {@code UUID} as its canonical string in UTF-8, as Kafka does. */
public final class UUIDSerializer implements Serializer<UUID> {

    @Override
    public byte[] serialize(String topic, UUID data) {
        if (data == null) {
            return null;
        }
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
