package io.tributary.client.serialization;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serializes strings in UTF-8, or in the charset named by {@code key.serializer.encoding} /
 * {@code value.serializer.encoding} / {@code serializer.encoding}, as Kafka's does.
 */
public final class StringSerializer implements Serializer<String> {

    private Charset charset = StandardCharsets.UTF_8;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        charset = Encodings.charset(configs, isKey ? "key.serializer.encoding" : "value.serializer.encoding",
                "serializer.encoding");
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : data.getBytes(charset);
    }
}
