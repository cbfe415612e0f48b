package io.tributary.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.client.Headers;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.common.record.TimestampType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RecordFormatterTest {

    private static ConsumerRecord<byte[], byte[]> record(String key, String value, Headers headers, TimestampType type) {
        return new ConsumerRecord<>("t", 2, 5, 1_700_000_000_000L, type, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }

    @Test
    void byDefaultOnlyTheValueIsPrinted() {
        assertEquals("v\n", new RecordFormatter(Map.of()).format(record("k", "v", new Headers(), TimestampType.CREATE_TIME)));
    }

    @Test
    void everyFieldInKafkasOrder() {
        RecordFormatter formatter = new RecordFormatter(Map.of("print.timestamp", "true", "print.partition", "true",
                "print.offset", "true", "print.headers", "true", "print.key", "true"));
        Headers headers = new Headers().add("a", "1".getBytes(StandardCharsets.UTF_8)).add("b", null);

        assertEquals("CreateTime:1700000000000\tPartition:2\tOffset:5\ta:1,b:null\tkey\tvalue\n",
                formatter.format(record("key", "value", headers, TimestampType.CREATE_TIME)));
        assertEquals("LogAppendTime:1700000000000\tPartition:2\tOffset:5\tNO_HEADERS\tnull\tnull\n",
                formatter.format(record(null, null, new Headers(), TimestampType.LOG_APPEND_TIME)));
    }

    @Test
    void separatorsNullLiteralAndHiddenValue() {
        RecordFormatter formatter = new RecordFormatter(Map.of("print.key", "true", "print.value", "false",
                "print.headers", "TRUE", "key.separator", " | ", "line.separator", ";", "headers.separator", "&",
                "null.literal", "-"));
        Headers headers = new Headers().add("x", null).add("y", "2".getBytes(StandardCharsets.UTF_8));

        assertEquals("x:-&y:2 | -;", formatter.format(record(null, "v", headers, TimestampType.CREATE_TIME)));
    }
}
