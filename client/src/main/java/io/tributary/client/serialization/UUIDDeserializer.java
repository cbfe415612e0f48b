package io.tributary.client.serialization;

import io.tributary.common.errors.SerializationException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deserializes {@code UUID} as its canonical string in UTF-8, as Kafka does. */
public final class UUIDDeserializer implements Deserializer<UUID> {

    @Override
    public UUID deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return UUID.fromString(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new SerializationException("a record of topic " + topic + " does not hold a UUID string", e);
        }
    }
}
