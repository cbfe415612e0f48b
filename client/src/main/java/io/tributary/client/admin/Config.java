package io.tributary.client.admin;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configs of one resource, by name. Kafka's {@code Config}. Immutable. */
public final class Config {

    private final Map<String, ConfigEntry> entries = new LinkedHashMap<>();

    public Config(Collection<ConfigEntry> entries) {
        entries.forEach(entry -> this.entries.put(entry.name(), entry));
    }

    /** Every entry, in the broker's order (by name). */
    public Collection<ConfigEntry> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    /** The entry of {@code name}, or null. */
    public ConfigEntry get(String name) {
        return entries.get(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Config(entries=" + entries.values() + ")";
    }
}
