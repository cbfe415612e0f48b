package io.tributary.client.serialization;

import io.tributary.client.Headers;
import java.io.Closeable;
import java.util.Map;

/**
 * Turns bytes back into a key or value. Implementations named in {@code key.deserializer} /
 * {@code value.deserializer} need a public no-argument constructor; the consumer calls
 * {@link #configure} once before the first use and {@link #close} when it closes. Called only from the
 * consumer's (single) application thread.
 *
 * @param <T> the type produced
 */
public interface Deserializer<T> extends Closeable {

    /** Receives the client configuration; {@code isKey} says whether this instance deserializes keys. */
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    /** The value for {@code data}, which is null for a null key or a tombstone. */
    T deserialize(String topic, byte[] data);

    /** As {@link #deserialize(String, byte[])}, with the record's headers. */
    default T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    @Override
    default void close() {
    }
}
