package io.tributary.client.admin;

import io.tributary.common.TopicPartition;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A member of a consumer group as {@link Admin#describeConsumerGroups} describes it. Immutable; the
 * partition sets iterate in topic, then partition order.
 *
 * @param memberId         the member's id
 * @param groupInstanceId  its {@code group.instance.id} when it is a static member
 * @param clientId         its {@code client.id}
 * @param host             the client's address as the coordinator saw it
 * @param memberEpoch      the member's epoch
 * @param assignment       the partitions the member owns now
 * @param targetAssignment the partitions the group's target assignment gives it (it owns them once
 *                         it has caught up; equal to {@code assignment} in a stable group)
 */
public record MemberDescription(String memberId, Optional<String> groupInstanceId, String clientId, String host,
                                int memberEpoch, Set<TopicPartition> assignment, Set<TopicPartition> targetAssignment) {

    public MemberDescription {
        Objects.requireNonNull(memberId, "memberId");
        groupInstanceId = Objects.requireNonNullElse(groupInstanceId, Optional.empty());
        assignment = Collections.unmodifiableSortedSet(new TreeSet<>(assignment));
        targetAssignment = Collections.unmodifiableSortedSet(new TreeSet<>(targetAssignment));
    }
}
