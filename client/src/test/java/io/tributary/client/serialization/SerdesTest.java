package io.tributary.client.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.SerializationException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SerdesTest {

    private static <T> T roundTrip(Serializer<T> serializer, Deserializer<T> deserializer, T value) {
        return deserializer.deserialize("t", serializer.serialize("t", value));
    }

    @Test
    void everyBuiltInSerdeRoundTripsAndKeepsNull() {
        assertEquals("héllo", roundTrip(new StringSerializer(), new StringDeserializer(), "héllo"));
        assertEquals(Long.MIN_VALUE, roundTrip(new LongSerializer(), new LongDeserializer(), Long.MIN_VALUE));
        assertEquals(-7, roundTrip(new IntegerSerializer(), new IntegerDeserializer(), -7));
        assertEquals((short) 300, roundTrip(new ShortSerializer(), new ShortDeserializer(), (short) 300));
        assertEquals(2.5d, roundTrip(new DoubleSerializer(), new DoubleDeserializer(), 2.5d));
        assertEquals(-0.25f, roundTrip(new FloatSerializer(), new FloatDeserializer(), -0.25f));
        UUID id = UUID.randomUUID();
        assertEquals(id, roundTrip(new UUIDSerializer(), new UUIDDeserializer(), id));
        assertArrayEquals(new byte[] {1, 2}, roundTrip(new ByteArraySerializer(), new ByteArrayDeserializer(),
                new byte[] {1, 2}));
        assertNull(new LongSerializer().serialize("t", null));
        assertNull(new StringDeserializer().deserialize("t", null));
    }

    @Test
    void fixedWidthEncodingsAreKafkasBigEndianLayout() {
        assertArrayEquals(new byte[] {0, 0, 1, 2}, new IntegerSerializer().serialize("t", 258));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 5}, new LongSerializer().serialize("t", 5L));
        assertArrayEquals("1b4e28ba-2fa1-11d2-883f-0016d3cca427".getBytes(StandardCharsets.UTF_8),
                new UUIDSerializer().serialize("t", UUID.fromString("1b4e28ba-2fa1-11d2-883f-0016d3cca427")));
    }

    @Test
    void wrongSizedInputIsASerializationErrorNamingTheTopic() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> new LongDeserializer().deserialize("prices", new byte[3]));
        assertTrue(e.getMessage().contains("prices") && e.getMessage().contains("8"), e.getMessage());
        assertThrows(SerializationException.class, () -> new UUIDDeserializer().deserialize("ids", new byte[] {1}));
    }

    @Test
    void stringEncodingIsConfigurablePerKeyOrValue() {
        StringSerializer serializer = new StringSerializer();
        serializer.configure(Map.of("value.serializer.encoding", "UTF-16BE"), false);
        assertArrayEquals(new byte[] {0, 'a'}, serializer.serialize("t", "a"));
        StringDeserializer deserializer = new StringDeserializer();
        deserializer.configure(Map.of("deserializer.encoding", "ISO-8859-1"), true);
        assertEquals("é", deserializer.deserialize("t", new byte[] {(byte) 0xe9}));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> new StringSerializer().configure(Map.of("key.serializer.encoding", "klingon"), true));
        assertTrue(e.getMessage().contains("key.serializer.encoding"), e.getMessage());
    }
}
