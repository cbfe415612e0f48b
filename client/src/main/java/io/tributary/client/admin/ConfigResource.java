package io.tributary.client.admin;

import java.util.Objects;

/**
 * Something that has configs: a topic, a broker (by id), or the cluster-wide broker default (a
 * broker resource named {@code ""}). Kafka's {@code ConfigResource}. Immutable.
 */
public final class ConfigResource {

    /** What a resource is. */
    public enum Type {
        /** A topic, named by its name. */
        TOPIC,
        /** A broker, named by its id as text, or {@code ""} for the default of every broker. */
        BROKER
    }

    private final Type type;
    private final String name;

    /** @throws NullPointerException when type or name is null */
    public ConfigResource(Type type, String name) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    /** Whether this is the cluster-wide broker default ({@code --entity-default}). */
    public boolean isDefault() {
        return name.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigResource other && type == other.type && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name);
    }

    @Override
    public String toString() {
        return "ConfigResource(type=" + type + ", name='" + name + "')";
    }
}
