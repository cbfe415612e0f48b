package io.tributary.client.admin;

import java.util.Objects;

/**
 * A consumer group as {@link Admin#listConsumerGroups} lists it. Immutable.
 *
 * @param groupId the group id
 * @param state   the group's state when its coordinator answered
 */
public record ConsumerGroupListing(String groupId, ConsumerGroupState state) {

    public ConsumerGroupListing {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(state, "state");
    }
}
