package io.tributary.client.admin;

import io.tributary.client.Node;
import java.util.List;
import java.util.Objects;

/**
 * A consumer group as {@link Admin#describeConsumerGroups} describes it. Immutable.
 *
 * @param groupId           the group id
 * @param state             the group's state
 * @param partitionAssignor the server-side assignor the group uses (range, roundrobin, sticky), empty
 *                          for a group that never had members
 * @param coordinator       the broker coordinating the group
 * @param groupEpoch        bumped on every membership, subscription or partition-count change
 * @param assignmentEpoch   the group epoch the target assignment was computed at
 * @param members           the members, in the coordinator's order
 */
public record ConsumerGroupDescription(String groupId, ConsumerGroupState state, String partitionAssignor,
                                       Node coordinator, int groupEpoch, int assignmentEpoch,
                                       List<MemberDescription> members) {

    public ConsumerGroupDescription {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(partitionAssignor, "partitionAssignor");
        members = List.copyOf(members);
    }
}
