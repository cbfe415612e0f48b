package io.tributary.common.config;

import io.tributary.common.errors.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Declares configuration keys in one place: name, type, default, validator and documentation
 * (the Kafka {@code ConfigDef} idea). {@link #parse} turns raw strings into typed values and fails
 * with an {@link InvalidConfigurationException} naming the key on an unknown key, a value of the
 * wrong type, a value the validator rejects, or a missing required key.
 *
 * <p>Instances are built once at class initialisation and are immutable afterwards; thread-safe to read.
 */
public final class ConfigDef {

    /** Marker default for keys that must be given. */
    public static final Object NO_DEFAULT = new Object() {
        @Override
        public String toString() {
            return "(required)";
        }
    };

    /** The value types a key can have. LIST is a comma-separated list of trimmed, non-empty strings. */
    public enum Type { BOOLEAN, INT, LONG, DOUBLE, STRING, LIST }

    /** Checks a parsed value; throws {@link InvalidConfigurationException} naming the key when it is not valid. */
    @FunctionalInterface
    public interface Validator {
        void ensureValid(String name, Object value);
    }

    /** One declared key. {@code defaultValue} is already parsed, or {@link #NO_DEFAULT}. */
    public record ConfigKey(String name, Type type, Object defaultValue, Validator validator, String doc) {
        public boolean required() {
            return defaultValue == NO_DEFAULT;
        }
    }

    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    /**
     * Declares a key. {@code defaultValue} is given as a string (as a user would write it) or
     * {@link #NO_DEFAULT}; it is parsed and validated here, so a bad default fails at declaration.
     */
    public ConfigDef define(String name, Type type, Object defaultValue, Validator validator, String doc) {
        if (keys.containsKey(name)) {
            throw new IllegalArgumentException("config key declared twice: " + name);
        }
        Object parsedDefault = defaultValue;
        if (defaultValue != NO_DEFAULT && defaultValue != null) {
            parsedDefault = parseValue(name, type, defaultValue.toString());
            if (validator != null) {
                validator.ensureValid(name, parsedDefault);
            }
        }
        keys.put(name, new ConfigKey(name, type, parsedDefault, validator, doc));
        return this;
    }

    public ConfigDef define(String name, Type type, Object defaultValue, String doc) {
        return define(name, type, defaultValue, null, doc);
    }

    /** The declared keys in declaration order. */
    public Collection<ConfigKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    public boolean contains(String name) {
        return keys.containsKey(name);
    }

    /**
     * Parses {@code raw} against the declared keys, filling in defaults.
     *
     * @throws InvalidConfigurationException naming the first key that is unknown, malformed,
     *     rejected by its validator, or required but missing
     */
    public Map<String, Object> parse(Map<String, String> raw) {
        for (String name : raw.keySet()) {
            if (!keys.containsKey(name)) {
                throw new InvalidConfigurationException("unknown configuration key '" + name + "'");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : keys.values()) {
            String given = raw.get(key.name());
            Object value;
            if (given != null) {
                value = parseValue(key.name(), key.type(), given);
                if (key.validator() != null) {
                    key.validator().ensureValid(key.name(), value);
                }
            } else if (key.required()) {
                throw new InvalidConfigurationException("missing required configuration key '" + key.name() + "'");
            } else {
                value = key.defaultValue();
            }
            values.put(key.name(), value);
        }
        return values;
    }

    /** Parses and validates one value for a declared key. */
    public Object parseOne(String name, String raw) {
        ConfigKey key = keys.get(name);
        if (key == null) {
            throw new InvalidConfigurationException("unknown configuration key '" + name + "'");
        }
        Object value = parseValue(name, key.type(), raw);
        if (key.validator() != null) {
            key.validator().ensureValid(name, value);
        }
        return value;
    }

    private static Object parseValue(String name, Type type, String raw) {
        String text = raw.trim();
        try {
            return switch (type) {
                case BOOLEAN -> parseBoolean(name, text);
                case INT -> Integer.parseInt(text);
                case LONG -> Long.parseLong(text);
                case DOUBLE -> Double.parseDouble(text);
                case STRING -> text;
                case LIST -> text.isEmpty() ? List.of() : List.copyOf(splitList(text));
            };
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(
                    "configuration key '" + name + "' expects " + type.name().toLowerCase() + " but got '" + raw + "'");
        }
    }

    private static Boolean parseBoolean(String name, String text) {
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new InvalidConfigurationException(
                "configuration key '" + name + "' expects true or false but got '" + text + "'");
    }

    private static List<String> splitList(String text) {
        List<String> items = new ArrayList<>();
        for (String item : text.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return items;
    }

    /** Accepts numbers {@code >= min}. */
    public static Validator atLeast(long min) {
        return (name, value) -> {
            if (((Number) value).longValue() < min) {
                throw new InvalidConfigurationException(
                        "configuration key '" + name + "' must be at least " + min + " but was " + value);
            }
        };
    }

    /** Accepts numbers in {@code [min, max]}. */
    public static Validator between(double min, double max) {
        return (name, value) -> {
            double v = ((Number) value).doubleValue();
            if (v < min || v > max) {
                throw new InvalidConfigurationException("configuration key '" + name + "' must be between "
                        + trim(min) + " and " + trim(max) + " but was " + value);
            }
        };
    }

    /** Accepts one of the given strings (case-sensitive), or every element of a LIST being one of them. */
    public static Validator oneOf(String... allowed) {
        List<String> options = Arrays.asList(allowed);
        return (name, value) -> {
            Collection<?> items = value instanceof List<?> list ? list : List.of(value);
            for (Object item : items) {
                if (!options.contains(item)) {
                    throw new InvalidConfigurationException("configuration key '" + name + "' must be one of "
                            + options + " but was '" + item + "'");
                }
            }
        };
    }

    /** Accepts non-empty strings and lists. */
    public static Validator nonEmpty() {
        return (name, value) -> {
            boolean empty = value instanceof List<?> list ? list.isEmpty() : value.toString().isEmpty();
            if (empty) {
                throw new InvalidConfigurationException("configuration key '" + name + "' must not be empty");
            }
        };
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
