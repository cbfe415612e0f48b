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
        /** List keys only (cleanup.policy): adds the comma-separated items of the value. */
        APPEND,
        /** List keys only: removes the comma-separated items of the value. */
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
