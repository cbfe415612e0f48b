package io.tributary.client.admin;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Options of {@link Admin#listConsumerGroups}. */
public final class ListConsumerGroupsOptions extends AbstractOptions<ListConsumerGroupsOptions> {

    private Set<ConsumerGroupState> states = Set.of();

    /** Only groups in these states; all groups when empty (the default). */
    public ListConsumerGroupsOptions inStates(Set<ConsumerGroupState> states) {
        this.states = states.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(states));
        return this;
    }

    /** The states listed groups must be in; empty for any state. */
    public Set<ConsumerGroupState> states() {
        return states;
    }
}
