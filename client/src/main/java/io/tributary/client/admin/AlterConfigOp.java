package io.tributary.client.admin;

import java.util.Objects;

/** One change of one config key, for {@link Admin#incrementalAlterConfigs}. Kafka's {@code AlterConfigOp}. */
public final class AlterConfigOp {

    /** How the key changes. */
    public enum OpType {
        /** Sets the key to the entry's value. */
        SET,
        /** Removes the key at this level, so the next level's value applies. */
        DELETE,
        /**
         * List keys only (cleanup.policy): adds the comma-separated items of the value that the base
         * list lacks. The base is the value the resource itself sets; for a key it does not set, the
         * value set dynamically at the level below (for a topic or a broker id: the cluster-wide broker
         * default), otherwise the active controller's static (server.properties) or built-in default.
         * It is not always the effective value a broker describes: a broker's own static configs and,
         * for a topic, per-broker dynamic values are not part of it.
         */
        APPEND,
        /** List keys only: removes the comma-separated items of the value from the base list, as for APPEND. */
        SUBTRACT
    }

    private final ConfigEntry configEntry;
    private final OpType opType;

    public AlterConfigOp(ConfigEntry configEntry, OpType opType) {
        this.configEntry = Objects.requireNonNull(configEntry, "configEntry");
        this.opType = Objects.requireNonNull(opType, "opType");
    }

    public ConfigEntry configEntry() {
        return configEntry;
    }

    public OpType opType() {
        return opType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlterConfigOp other && configEntry.equals(other.configEntry) && opType == other.opType;
    }

    @Override
    public int hashCode() {
        return Objects.hash(configEntry, opType);
    }

    @Override
    public String toString() {
        return "AlterConfigOp(opType=" + opType + ", configEntry=" + configEntry + ")";
    }
}
