package io.tributary.client.serialization;

import io.tributary.client.Headers;
import java.io.Closeable;
import java.util.Map;

/**
 * Turns a key or value into bytes. Implementations named in {@code key.serializer} /
 * {@code value.serializer} need a public no-argument constructor; the producer calls
 * {@link #configure} once with its whole configuration before the first use, and {@link #close}
 * when it closes. A serializer is called from every thread that sends, so it must be thread-safe.
 *
 * @param <T> the type serialized
 */
public interface Serializer<T> extends Closeable {

    /** Receives the client configuration; {@code isKey} says whether this instance serializes keys. */
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    /** The bytes for {@code data} (null stays null: a null key or a tombstone value). */
    byte[] serialize(String topic, T data);

    /** As {@link #serialize(String, Object)}, with the record's headers, which it may add to. */
    default byte[] serialize(String topic, Headers headers, T data) {
        return serialize(topic, data);
    }

    @Override
    default void close() {
    }
}
