package io.tributary.client.admin;

import java.util.List;
import java.util.Objects;

/**
 * One config of a resource: its name, effective value, where the value comes from, and whether it
 * can be changed. Kafka's {@code ConfigEntry}; also the key and value of an {@link AlterConfigOp}.
 * Immutable.
 */
public final class ConfigEntry {

    /** Where a config's value comes from, most specific first. */
    public enum ConfigSource {
        /** Set on the topic. */
        DYNAMIC_TOPIC_CONFIG,
        /** Set dynamically for one broker. */
        DYNAMIC_BROKER_CONFIG,
        /** Set dynamically as the default of every broker. */
        DYNAMIC_DEFAULT_BROKER_CONFIG,
        /** Set in the broker's server.properties (or environment). */
        STATIC_BROKER_CONFIG,
        /** The built-in default. */
        DEFAULT_CONFIG,
        /** A source this client does not know (a newer broker). */
        UNKNOWN
    }

    /** A value one level gives a config, under that level's key name (log.retention.ms for a broker). */
    public record ConfigSynonym(String name, String value, ConfigSource source) {
    }

    private final String name;
    private final String value;
    private final ConfigSource source;
    private final boolean isSensitive;
    private final boolean isReadOnly;
    private final List<ConfigSynonym> synonyms;
    private final String documentation;

    /** An entry to alter: a name and a value (null for DELETE). */
    public ConfigEntry(String name, String value) {
        this(name, value, ConfigSource.UNKNOWN, false, false, List.of(), null);
    }

    public ConfigEntry(String name, String value, ConfigSource source, boolean isSensitive, boolean isReadOnly,
                       List<ConfigSynonym> synonyms, String documentation) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = value;
        this.source = Objects.requireNonNull(source, "source");
        this.isSensitive = isSensitive;
        this.isReadOnly = isReadOnly;
        this.synonyms = List.copyOf(synonyms);
        this.documentation = documentation;
    }

    public String name() {
        return name;
    }

    /** The value, or null when sensitive or unset. */
    public String value() {
        return value;
    }

    public ConfigSource source() {
        return source;
    }

    /** Whether the value is the built-in default. */
    public boolean isDefault() {
        return source == ConfigSource.DEFAULT_CONFIG;
    }

    public boolean isSensitive() {
        return isSensitive;
    }

    public boolean isReadOnly() {
        return isReadOnly;
    }

    /** The levels that give this config a value, the effective one first (with includeSynonyms). */
    public List<ConfigSynonym> synonyms() {
        return synonyms;
    }

    /** What the config does (with includeDocumentation), else null. */
    public String documentation() {
        return documentation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigEntry other && name.equals(other.name) && Objects.equals(value, other.value)
                && source == other.source && isSensitive == other.isSensitive && isReadOnly == other.isReadOnly
                && synonyms.equals(other.synonyms) && Objects.equals(documentation, other.documentation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, value, source, isSensitive, isReadOnly, synonyms, documentation);
    }

    @Override
    public String toString() {
        return "ConfigEntry(name=" + name + ", value=" + (isSensitive ? "(sensitive)" : value) + ", source=" + source
                + ", isSensitive=" + isSensitive + ", isReadOnly=" + isReadOnly + ", synonyms=" + synonyms + ")";
    }
}
