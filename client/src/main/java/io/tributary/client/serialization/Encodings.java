package io.tributary.client.serialization;

import io.tributary.common.errors.InvalidConfigurationException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;

/** Reads the charset the string serdes are configured with. */
final class Encodings {

    private Encodings() {
    }

    static Charset charset(Map<String, ?> configs, String specificKey, String generalKey) {
        String key = configs.get(specificKey) != null ? specificKey : generalKey;
        Object name = configs.get(key);
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.toString());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new InvalidConfigurationException("invalid value '" + name + "' for configuration key '" + key
                    + "': not a charset this JVM supports");
        }
    }
}
