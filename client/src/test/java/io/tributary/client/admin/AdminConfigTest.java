package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class AdminConfigTest {

    @Test
    void aMissingBootstrapServersIsRejectedNamingTheKey() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> Admin.create(new Properties()));
        assertEquals("missing required configuration key 'bootstrap.servers'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:", "localhost:http", "localhost:0", "localhost:70000", ":9092"})
    void aMalformedBootstrapServerIsRejectedNamingTheKeyAndTheEntry(String server) {
        Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:9092," + server);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> Admin.create(config));
        assertTrue(e.getMessage().contains("'bootstrap.servers'"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + server + "'"), e.getMessage());
    }

    @Test
    void anEmptyBootstrapListIsRejected() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> Admin.create(Map.of("bootstrap.servers", "")));
        assertTrue(e.getMessage().contains("'bootstrap.servers'"), e.getMessage());
    }

    @Test
    void aMalformedTimeoutIsRejectedNamingTheKey() {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", "127.0.0.1:9092");
        props.setProperty("default.api.timeout.ms", "soon");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> Admin.create(props));
        assertTrue(e.getMessage().contains("default.api.timeout.ms"), e.getMessage());
    }

    @Test
    void acceptsKnownKeysAsNumbersAndListsAndIgnoresUnknownOnes() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", java.util.List.of("127.0.0.1:9092", "[::1]:9093"));
        config.put("request.timeout.ms", 1000);
        config.put("retry.backoff.ms", 5L);
        config.put("key.serializer", "shared.with.the.producer");
        Admin admin = Admin.create(config);
        admin.close();
        assertEquals(30_000, AdminClientConfig.CONFIG_DEF.parse(Map.of("bootstrap.servers", "h:1"))
                .get("request.timeout.ms"));
    }

    @Test
    void definesTheSharedClientKeysWithKafkasDefaults() {
        for (String key : new String[] {"bootstrap.servers", "client.id", "request.timeout.ms", "retry.backoff.ms",
                "retry.backoff.max.ms", "metadata.max.age.ms", "default.api.timeout.ms"}) {
            assertTrue(AdminClientConfig.CONFIG_DEF.contains(key), key);
        }
        assertEquals(60_000, AdminClientConfig.CONFIG_DEF.parse(Map.of("bootstrap.servers", "h:1"))
                .get("default.api.timeout.ms"));
    }
}
