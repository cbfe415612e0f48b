package io.tributary.client.internal;

import io.tributary.common.config.ConfigDef;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a user passes (Properties or a map whose values may be strings, numbers, classes or
 * lists) into a {@link ParsedConfig}. Unlike the server, a client only logs keys it does not know:
 * Kafka clients share property files between producers, consumers and admins, and pass serializer
 * settings through the same map.
 */
public final class ClientConfigs {

    private static final Logger log = LoggerFactory.getLogger(ClientConfigs.class);

    private ClientConfigs() {
    }

    /** The entries of {@code properties} as a map with string keys. */
    public static Map<String, Object> toMap(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        properties.forEach((key, value) -> map.put(key.toString(), value));
        return map;
    }

    /**
     * Parses the keys {@code def} knows and logs the others once.
     *
     * @throws InvalidConfigurationException naming the key for a malformed or invalid value
     */
    public static ParsedConfig parse(ConfigDef def, Map<String, ?> given, String clientKind) {
        Map<String, String> known = new HashMap<>();
        for (Map.Entry<String, ?> entry : given.entrySet()) {
            if (entry.getValue() == null) {
                throw new InvalidConfigurationException("configuration key '" + entry.getKey() + "' has a null value");
            }
            if (def.contains(entry.getKey())) {
                known.put(entry.getKey(), asString(entry.getValue()));
            } else {
                log.warn("The {} configuration '{}' was supplied but is not a known {} configuration; it is ignored "
                        + "(serializers, partitioners and interceptors still receive it)", clientKind, entry.getKey(),
                        clientKind);
            }
        }
        return new ParsedConfig(def, known);
    }

    private static String asString(Object value) {
        if (value instanceof Class<?> type) {
            return type.getName();
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(ClientConfigs::asString).collect(Collectors.joining(","));
        }
        return value.toString();
    }
}
