package io.tributary.client.consumer;

import java.util.Objects;
import java.util.Optional;

/**
 * Who this consumer is in its group, as Kafka's {@code ConsumerGroupMetadata}.
 *
 * @param groupId         the group
 * @param generationId    the member epoch: 0 before the first join completes, -1 when not a member
 * @param memberId        the member id the consumer chose (a UUID), empty when not subscribed
 * @param groupInstanceId group.instance.id for a static member
 */
public record ConsumerGroupMetadata(String groupId, int generationId, String memberId,
                                    Optional<String> groupInstanceId) {

    public ConsumerGroupMetadata {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
    }
}
