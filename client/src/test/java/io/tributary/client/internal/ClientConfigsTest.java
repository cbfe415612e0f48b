package io.tributary.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.producer.ProducerConfig;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.common.config.ParsedConfig;
import io.tributary.common.errors.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ClientConfigsTest {

    @Test
    void acceptsKafkaStyleValuesAndIgnoresUnknownKeys() {
        Properties props = new Properties();
        props.put("bootstrap.servers", List.of("a:1", "b:2"));
        props.put("key.serializer", StringSerializer.class);
        props.put("linger.ms", 7);
        props.put("enable.idempotence", "true");
        ParsedConfig config = ClientConfigs.parse(ProducerConfig.CONFIG_DEF, ClientConfigs.toMap(props), "producer");
        assertEquals(List.of("a:1", "b:2"), config.getList("bootstrap.servers"));
        assertEquals(StringSerializer.class.getName(), config.getString("key.serializer"));
        assertEquals(7L, config.getLong("linger.ms"));
    }

    @Test
    void rejectsNullValuesAndMissingBootstrapNamingTheKey() {
        java.util.HashMap<String, Object> withNull = new java.util.HashMap<>();
        withNull.put("bootstrap.servers", "a:1");
        withNull.put("acks", null);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ClientConfigs.parse(ProducerConfig.CONFIG_DEF, withNull, "producer"));
        assertTrue(e.getMessage().contains("acks"), e.getMessage());
        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
                () -> ClientConfigs.parse(ProducerConfig.CONFIG_DEF, Map.of(), "producer"));
        assertTrue(missing.getMessage().contains("bootstrap.servers"), missing.getMessage());
    }

    @Test
    void bootstrapEntriesNeedHostAndPort() {
        assertEquals(List.of(new ClientMetadata.HostPort("::1", 9092), new ClientMetadata.HostPort("k", 1)),
                ClientMetadata.parseBootstrap(List.of("[::1]:9092", "k:1")));
        for (String bad : List.of("k", "k:0", "k:port", ":9092", "k:70000")) {
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                    () -> ClientMetadata.parseBootstrap(List.of(bad)));
            assertTrue(e.getMessage().contains("bootstrap.servers") && e.getMessage().contains(bad), e.getMessage());
        }
    }
}
