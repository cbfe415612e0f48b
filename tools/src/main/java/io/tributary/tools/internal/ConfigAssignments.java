package io.tributary.tools.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses kafka-configs.sh's {@code --add-config} syntax: {@code k1=v1,k2=[a,b],k3=v3}. Commas
 * separate assignments except inside square brackets, which hold a list value (given to the broker
 * as {@code a,b}). Stateless.
 */
public final class ConfigAssignments {

    private ConfigAssignments() {
    }

    /**
     * The assignments, in order.
     *
     * @throws IllegalArgumentException naming the entry that has no '=' or no key, an unbalanced
     *     bracket, or a key given twice
     */
    public static Map<String, String> parse(String text) {
        Map<String, String> assignments = new LinkedHashMap<>();
        for (String entry : splitTopLevel(text)) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("'" + entry.trim() + "' is not KEY=VALUE");
            }
            String key = entry.substring(0, equals).trim();
            String value = entry.substring(equals + 1).trim();
            if (value.startsWith("[") && value.endsWith("]")) {
                value = value.substring(1, value.length() - 1).trim();
            }
            if (assignments.put(key, value) != null) {
                throw new IllegalArgumentException("'" + key + "' is given more than once");
            }
        }
        return assignments;
    }

    /** The keys of {@code --delete-config k1,k2}, in order, without blanks. */
    public static List<String> keys(String text) {
        List<String> keys = new ArrayList<>();
        for (String key : text.split(",")) {
            if (!key.isBlank()) {
                keys.add(key.trim());
            }
        }
        return keys;
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
                if (depth < 0) {
                    throw new IllegalArgumentException("'" + text + "' has a ']' without its '['");
                }
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("'" + text + "' has a '[' without its ']'");
        }
        parts.add(current.toString());
        return parts;
    }
}
