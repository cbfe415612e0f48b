package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.producer.ProducerRecord;
import io.tributary.common.record.Header;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LineRecordReaderTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void byDefaultTheWholeLineIsTheValue() {
        ProducerRecord<byte[], byte[]> record = new LineRecordReader("t", Map.of()).parse("a\tb:c");

        assertEquals("t", record.topic());
        assertNull(record.key());
        assertArrayEquals(utf8("a\tb:c"), record.value());
        assertEquals(0, record.headers().size());
    }

    @Test
    void keysAndHeadersUseKafkasDefaultSeparators() {
        LineRecordReader reader = new LineRecordReader("t", Map.of("parse.key", "true", "parse.headers", "true"));

        ProducerRecord<byte[], byte[]> record = reader.parse("h1:v1,h2:v:2\tkey\tvalue\twith tab");

        assertArrayEquals(utf8("key"), record.key());
        assertArrayEquals(utf8("value\twith tab"), record.value());
        assertEquals(List.of(new Header("h1", utf8("v1")), new Header("h2", utf8("v:2"))), record.headers().asList());
    }

    @Test
    void separatorsAreLiteralStringsOfAnyLength() {
        LineRecordReader reader = new LineRecordReader("t", Map.of("parse.key", "true", "key.separator", "=>",
                "parse.headers", "true", "headers.delimiter", "||", "headers.separator", "|", "headers.key.separator", "."));

        ProducerRecord<byte[], byte[]> record = reader.parse("a.1|b.2||k=>v=>w");

        assertArrayEquals(utf8("k"), record.key());
        assertArrayEquals(utf8("v=>w"), record.value());
        assertEquals(List.of(new Header("a", utf8("1")), new Header("b", utf8("2"))), record.headers().asList());
    }

    @Test
    void theNullMarkerMakesKeysValuesAndHeaderValuesNull() {
        LineRecordReader reader = new LineRecordReader("t", Map.of("parse.key", "true", "parse.headers", "true",
                "null.marker", "<null>"));

        ProducerRecord<byte[], byte[]> record = reader.parse("h:<null>\t<null>\t<null>");

        assertNull(record.key());
        assertNull(record.value());
        assertEquals(List.of(new Header("h", null)), record.headers().asList());
        assertEquals(0, reader.parse("<null>\tk\tv").headers().size());
        assertEquals(0, reader.parse("\tk\tv").headers().size());
    }

    @Test
    void missingSeparatorsFailUnlessIgnored() {
        LineRecordReader strict = new LineRecordReader("t", Map.of("parse.key", "true", "parse.headers", "true"));
        LineRecordReader lenient = new LineRecordReader("t", Map.of("parse.key", "true", "parse.headers", "true",
                "ignore.error", "true"));

        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> strict.parse("h:1\tvalue"));
        IllegalArgumentException noHeaderKey = assertThrows(IllegalArgumentException.class, () -> strict.parse("h\tk\tv"));

        assertTrue(noKey.getMessage().startsWith("no key separator found on line"), noKey.getMessage());
        assertTrue(noHeaderKey.getMessage().startsWith("no header key separator found in 'h'"), noHeaderKey.getMessage());
        ProducerRecord<byte[], byte[]> lenientRecord = lenient.parse("h\tvalue");
        assertNull(lenientRecord.key());
        assertEquals(List.of(new Header("h", null)), lenientRecord.headers().asList());
    }

    @Test
    void clashingSeparatorsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineRecordReader("t", Map.of("headers.separator", ":")));
        assertEquals("headers.separator and headers.key.separator may not be equal", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LineRecordReader("t", Map.of("key.separator", "")));
        assertThrows(IllegalArgumentException.class,
                () -> new LineRecordReader("t", Map.of("null.marker", "\t")));
    }

    @Test
    void readsLinesUntilTheEndAndCountsThem() {
        LineRecordReader reader = new LineRecordReader("t", Map.of("parse.key", "true"));
        BufferedReader input = new BufferedReader(new StringReader("k\tone\r\nk\ttwo\nbroken\n"));

        assertArrayEquals(utf8("one"), reader.next(input).value());
        assertArrayEquals(utf8("two"), reader.next(input).value());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.next(input));
        assertEquals("no key separator found on line 3: 'broken'", e.getMessage());
        assertNull(reader.next(input));
    }
}
