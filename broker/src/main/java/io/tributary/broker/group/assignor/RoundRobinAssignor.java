package io.tributary.broker.group.assignor;

import java.util.List;

/**
 * Kafka's {@code RoundRobinAssignor}: every assignable partition, sorted by topic then partition number,
 * is dealt in turn to the members in assignment order ({@link GroupSpec#ASSIGNMENT_ORDER}), going round
 * and round; a member not subscribed to the partition's topic is skipped. Balanced to within one partition
 * when all members have the same subscription, possibly far from it otherwise. Ignores current assignments.
 */
public final class RoundRobinAssignor implements PartitionAssignor {

    public static final String NAME = "roundrobin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GroupAssignment assign(GroupSpec group, TopicMetadata topics) {
        AssignmentBuilder assignment = new AssignmentBuilder(group);
        List<MemberSpec> members = group.members();
        int next = 0;
        // Only topics with a subscriber are dealt, so the skipping loop below always finds one.
        for (String topic : AssignmentBuilder.subscribersByTopic(group, topics).keySet()) {
            for (int partition = 0; partition < topics.partitionCount(topic); partition++) {
                while (!members.get(next).subscribedTopics().contains(topic)) {
                    next = (next + 1) % members.size();
                }
                assignment.add(members.get(next), topic, partition);
                next = (next + 1) % members.size();
            }
        }
        return assignment.build();
    }
}
