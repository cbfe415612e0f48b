package io.tributary.tools.internal;

import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.common.record.Header;
import io.tributary.common.record.TimestampType;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Prints a consumed record as Kafka's console consumer does (its {@code DefaultMessageFormatter}):
 * the enabled fields in the order timestamp, partition, offset, headers, key, value, joined by
 * {@code key.separator}, and ended by {@code line.separator}. Example with every field on:
 * {@code CreateTime:1700000000000\tPartition:0\tOffset:5\tcolor:red\tkey\tvalue}. Properties:
 * {@code print.timestamp}, {@code print.partition}, {@code print.offset}, {@code print.headers},
 * {@code print.key} (all false), {@code print.value} (true), {@code key.separator} (tab),
 * {@code line.separator} (newline), {@code headers.separator} (","), {@code null.literal} ("null").
 * Keys, values and header values are decoded as UTF-8.
 */
public final class RecordFormatter {

    private final boolean printTimestamp;
    private final boolean printPartition;
    private final boolean printOffset;
    private final boolean printHeaders;
    private final boolean printKey;
    private final boolean printValue;
    private final String keySeparator;
    private final String lineSeparator;
    private final String headersSeparator;
    private final String nullLiteral;

    public RecordFormatter(Map<String, String> properties) {
        this.printTimestamp = flag(properties, "print.timestamp", false);
        this.printPartition = flag(properties, "print.partition", false);
        this.printOffset = flag(properties, "print.offset", false);
        this.printHeaders = flag(properties, "print.headers", false);
        this.printKey = flag(properties, "print.key", false);
        this.printValue = flag(properties, "print.value", true);
        this.keySeparator = properties.getOrDefault("key.separator", "\t");
        this.lineSeparator = properties.getOrDefault("line.separator", "\n");
        this.headersSeparator = properties.getOrDefault("headers.separator", ",");
        this.nullLiteral = properties.getOrDefault("null.literal", "null");
    }

    private static boolean flag(Map<String, String> properties, String key, boolean defaultValue) {
        String value = properties.get(key);
        return value == null ? defaultValue : value.trim().equalsIgnoreCase("true");
    }

    /** The record as text, including the line separator. */
    public String format(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder line = new StringBuilder();
        if (printTimestamp) {
            field(line, timestampTypeName(record.timestampType()) + ":" + record.timestamp());
        }
        if (printPartition) {
            field(line, "Partition:" + record.partition());
        }
        if (printOffset) {
            field(line, "Offset:" + record.offset());
        }
        if (printHeaders) {
            field(line, headers(record));
        }
        if (printKey) {
            field(line, text(record.key()));
        }
        if (printValue) {
            field(line, text(record.value()));
        }
        return line.append(lineSeparator).toString();
    }

    private void field(StringBuilder line, String text) {
        if (!line.isEmpty()) {
            line.append(keySeparator);
        }
        line.append(text);
    }

    /** Kafka's names: {@code CreateTime}, {@code LogAppendTime}. */
    public static String timestampTypeName(TimestampType type) {
        return switch (type) {
            case CREATE_TIME -> "CreateTime";
            case LOG_APPEND_TIME -> "LogAppendTime";
        };
    }

    private String headers(ConsumerRecord<byte[], byte[]> record) {
        Iterator<Header> headers = record.headers().iterator();
        if (!headers.hasNext()) {
            return "NO_HEADERS";
        }
        StringBuilder text = new StringBuilder();
        while (headers.hasNext()) {
            Header header = headers.next();
            text.append(header.key()).append(':').append(text(header.value()));
            if (headers.hasNext()) {
                text.append(headersSeparator);
            }
        }
        return text.toString();
    }

    private String text(byte[] bytes) {
        return bytes == null ? nullLiteral : new String(bytes, StandardCharsets.UTF_8);
    }
}
