package io.tributary.broker.group.assignor;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an assignor knows about one group member.
 *
 * <p>Immutable; the subscribed topics iterate in name order. A subscribed topic that does not exist is
 * allowed (it is skipped, as Kafka does), and so is a current assignment naming partitions the member may
 * no longer keep (an unsubscribed or deleted topic, a partition beyond the topic's count): assignors simply
 * do not keep those.
 *
 * @param memberId the member's id, unique in the group
 * @param instanceId the {@code group.instance.id} of a static member, empty for a dynamic one
 * @param subscribedTopics the topic names the member subscribes to (a regex subscription arrives resolved)
 * @param currentAssignment the partitions the member holds now, as the previous target assignment gave them
 */
public record MemberSpec(String memberId, Optional<String> instanceId, Set<String> subscribedTopics,
                         MemberAssignment currentAssignment) {

    /**
     * @throws IllegalArgumentException when the member id or a present instance id is empty, or a
     *     subscribed topic is null
     * @throws NullPointerException when an argument is null
     */
    public MemberSpec {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(subscribedTopics, "subscribedTopics");
        Objects.requireNonNull(currentAssignment, "currentAssignment");
        if (memberId.isEmpty()) {
            throw new IllegalArgumentException("a member id must not be empty");
        }
        if (instanceId.isPresent() && instanceId.get().isEmpty()) {
            throw new IllegalArgumentException("member '" + memberId + "' has an empty instance id");
        }
        TreeSet<String> topics = new TreeSet<>();
        for (String topic : subscribedTopics) {
            if (topic == null) {
                throw new IllegalArgumentException("member '" + memberId + "' subscribes to a null topic");
            }
            topics.add(topic);
        }
        subscribedTopics = Collections.unmodifiableSortedSet(topics);
    }
}
