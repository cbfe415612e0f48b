package io.tributary.broker.group.assignor;

import java.util.List;
import java.util.Map;

/**
 * Kafka's {@code RangeAssignor}: topic by topic, the topic's subscribers in assignment order
 * ({@link GroupSpec#ASSIGNMENT_ORDER}) each take a contiguous range of its partitions; with {@code n}
 * partitions and {@code k} subscribers every range has {@code n / k} partitions and the first
 * {@code n % k} one more. Topics are independent, so members subscribed to the same topics get the same
 * partition numbers of each (useful to join co-partitioned topics), at the price of imbalance over many
 * topics. Ignores current assignments.
 */
public final class RangeAssignor implements PartitionAssignor {

    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GroupAssignment assign(GroupSpec group, TopicMetadata topics) {
        AssignmentBuilder assignment = new AssignmentBuilder(group);
        for (Map.Entry<String, List<MemberSpec>> entry : AssignmentBuilder.subscribersByTopic(group, topics).entrySet()) {
            String topic = entry.getKey();
            List<MemberSpec> subscribers = entry.getValue();
            int partitionCount = topics.partitionCount(topic);
            int rangeLength = partitionCount / subscribers.size();
            int longerRanges = partitionCount % subscribers.size();
            int start = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int end = start + rangeLength + (i < longerRanges ? 1 : 0);
                for (int partition = start; partition < end; partition++) {
                    assignment.add(subscribers.get(i), topic, partition);
                }
                start = end;
            }
        }
        return assignment.build();
    }
}
