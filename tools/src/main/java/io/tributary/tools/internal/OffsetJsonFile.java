package io.tributary.tools.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's offset JSON of {@code kafka-delete-records.sh}:
 * {@code {"partitions":[{"topic":"t","partition":0,"offset":3}],"version":1}}. {@code version} may be
 * left out (it is 1); {@code offset} -1 means the high watermark. Pure: parses text only.
 */
public final class OffsetJsonFile {

    /** One partition and the offset below which its records are deleted. */
    public record Entry(String topic, int partition, long offset) {
    }

    private OffsetJsonFile() {
    }

    /**
     * The entries of {@code json}, in file order.
     *
     * @throws IllegalArgumentException naming the problem: invalid JSON (with its line and column), a
     *     missing or mistyped field (with its path, e.g. {@code partitions[1].offset}), a version other
     *     than 1, no partitions, a negative partition, an offset below -1, or a partition listed twice
     */
    public static List<Entry> parse(String json) {
        if (!(JsonParser.parse(json) instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("the offset JSON must be an object with \"version\" and \"partitions\"");
        }
        Object version = root.containsKey("version") ? root.get("version") : 1L;
        if (!Long.valueOf(1).equals(version)) {
            throw new IllegalArgumentException("unsupported \"version\" " + version + ": only 1 is supported");
        }
        if (!(root.get("partitions") instanceof List<?> partitions)) {
            throw new IllegalArgumentException(root.containsKey("partitions") ? "\"partitions\" must be an array"
                    : "missing the \"partitions\" field");
        }
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("\"partitions\" lists no partition");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> duplicates = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < partitions.size(); i++) {
            Entry entry = entry("partitions[" + i + "]", partitions.get(i));
            if (!seen.add(entry.topic() + "-" + entry.partition())) {
                duplicates.add(entry.topic() + "-" + entry.partition());
            }
            entries.add(entry);
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("the offset JSON lists partitions more than once: "
                    + String.join(", ", duplicates));
        }
        return entries;
    }

    private static Entry entry(String path, Object value) {
        if (!(value instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException(path + " must be an object with \"topic\", \"partition\" and \"offset\"");
        }
        if (!(fields.get("topic") instanceof String topic) || topic.isEmpty()) {
            throw new IllegalArgumentException(path + ".topic must be a non-empty string");
        }
        long partition = integer(path + ".partition", fields.get("partition"));
        if (partition < 0 || partition > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path + ".partition must be 0 or more (got " + partition + ")");
        }
        long offset = integer(path + ".offset", fields.get("offset"));
        if (offset < -1) {
            throw new IllegalArgumentException(path + ".offset must be -1 (the high watermark) or 0 or more (got "
                    + offset + ")");
        }
        return new Entry(topic, (int) partition, offset);
    }

    private static long integer(String path, Object value) {
        if (!(value instanceof Long number)) {
            throw new IllegalArgumentException(path + " must be an integer"
                    + (value == null ? " (it is missing or null)" : " (got " + value + ")"));
        }
        return number;
    }
}
