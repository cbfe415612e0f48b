package io.tributary.client.admin;

import java.util.Locale;

/**
 * The state of a consumer group, as the coordinator reports it (Kafka's {@code ConsumerGroupState}
 * for groups using the server-side assignment protocol).
 */
public enum ConsumerGroupState {
    /** The group has no members (it may still have committed offsets). */
    EMPTY("Empty"),
    /** The coordinator is computing the group's target assignment. */
    ASSIGNING("Assigning"),
    /** Members are moving toward the target assignment. */
    RECONCILING("Reconciling"),
    /** Every member owns its target assignment. */
    STABLE("Stable"),
    /** A state this client does not know (sent by a newer coordinator). */
    UNKNOWN("Unknown");

    private final String text;

    ConsumerGroupState(String text) {
        this.text = text;
    }

    /** The state named {@code text} as the protocol spells it ("Stable"), in any case; UNKNOWN otherwise. */
    public static ConsumerGroupState parse(String text) {
        for (ConsumerGroupState state : values()) {
            if (state.text.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return state;
            }
        }
        return UNKNOWN;
    }

    /** The protocol's spelling: "Empty", "Assigning", "Reconciling", "Stable" or "Unknown". */
    @Override
    public String toString() {
        return text;
    }
}
