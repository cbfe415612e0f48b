package io.tributary.client.serialization;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Deserializes strings from UTF-8, or from the charset named by {@code key.deserializer.encoding} /
 * {@code value.deserializer.encoding} / {@code deserializer.encoding}, as Kafka's does.
 */
public final class StringDeserializer implements Deserializer<String> {

    private Charset charset = StandardCharsets.UTF_8;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        charset = Encodings.charset(configs, isKey ? "key.deserializer.encoding" : "value.deserializer.encoding",
                "deserializer.encoding");
    }

    @Override
    public String deserialize(String topic, byte[] data) {
        return data == null ? null : new String(data, charset);
    }
}
