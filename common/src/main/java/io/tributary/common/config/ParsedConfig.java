package io.tributary.common.config;

import java.util.List;
import java.util.Map;

/**
 * Typed read access to values parsed by a {@link ConfigDef}. Immutable. Asking for a key with the
 * wrong type is a programmer error and fails with ClassCastException.
 */
public final class ParsedConfig {

    private final Map<String, Object> values;

    public ParsedConfig(ConfigDef definition, Map<String, String> raw) {
        this.values = Map.copyOf(withoutNulls(definition.parse(raw)));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> parsed) {
        parsed.values().removeIf(v -> v == null);
        return parsed;
    }

    public int getInt(String name) {
        return (Integer) require(name);
    }

    public long getLong(String name) {
        return (Long) require(name);
    }

    public double getDouble(String name) {
        return (Double) require(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    /** The value, or {@code null} for a key declared with a null default and not given. */
    public String getString(String name) {
        return (String) values.get(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        return (List<String>) require(name);
    }

    /** The parsed value of any type, or {@code null} for a key declared with a null default and not given. */
    public Object get(String name) {
        return values.get(name);
    }

    private Object require(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no value for configuration key '" + name + "'");
        }
        return value;
    }
}
