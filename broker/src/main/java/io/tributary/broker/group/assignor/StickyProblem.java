package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sticky assignor's input in index form. Members are numbered in assignment order, the assignable
 * partitions (those of existing topics some member subscribes to) in topic-name then partition order.
 * A partition's <em>keeper</em> is the member that holds it now and may keep it (still subscribed to its
 * topic); every other partition has to be placed afresh.
 */
final class StickyProblem {

    static final int NONE = -1;

    private final GroupSpec group;
    private final List<String> topics;
    private final int[] firstPartitionOfTopic;
    private final int[] topicOf;
    private final int[][] subscribersOf;
    private final int[] keeper;

    private StickyProblem(GroupSpec group, List<String> topics, int[] firstPartitionOfTopic, int[][] subscribersOf) {
        this.group = group;
        this.topics = topics;
        this.firstPartitionOfTopic = firstPartitionOfTopic;
        this.subscribersOf = subscribersOf;
        int partitionCount = firstPartitionOfTopic[topics.size()];
        this.topicOf = new int[partitionCount];
        for (int topic = 0; topic < topics.size(); topic++) {
            Arrays.fill(topicOf, firstPartitionOfTopic[topic], firstPartitionOfTopic[topic + 1], topic);
        }
        this.keeper = new int[partitionCount];
        Arrays.fill(keeper, NONE);
    }

    static StickyProblem of(GroupSpec group, TopicMetadata metadata) {
        Map<String, List<MemberSpec>> subscribers = AssignmentBuilder.subscribersByTopic(group, metadata);
        Map<String, Integer> memberIndex = new HashMap<>();
        for (MemberSpec member : group.members()) {
            memberIndex.put(member.memberId(), memberIndex.size());
        }
        List<String> topics = new ArrayList<>(subscribers.keySet());
        int[] firstPartition = new int[topics.size() + 1];
        int[][] subscribersOf = new int[topics.size()][];
        for (int topic = 0; topic < topics.size(); topic++) {
            String name = topics.get(topic);
            firstPartition[topic + 1] = firstPartition[topic] + metadata.partitionCount(name);
            subscribersOf[topic] = subscribers.get(name).stream().mapToInt(m -> memberIndex.get(m.memberId())).toArray();
        }
        StickyProblem problem = new StickyProblem(group, topics, firstPartition, subscribersOf);
        problem.findKeepers(metadata);
        return problem;
    }

    private void findKeepers(TopicMetadata metadata) {
        Map<String, Integer> topicIndex = new HashMap<>();
        for (String topic : topics) {
            topicIndex.put(topic, topicIndex.size());
        }
        for (int member = 0; member < memberCount(); member++) {
            MemberSpec spec = group.members().get(member);
            for (Map.Entry<String, Set<Integer>> entry : spec.currentAssignment().partitionsByTopic().entrySet()) {
                Integer topic = topicIndex.get(entry.getKey());
                if (topic == null || !spec.subscribedTopics().contains(entry.getKey())) {
                    continue;
                }
                for (int partition : entry.getValue()) {
                    if (partition < metadata.partitionCount(entry.getKey())) {
                        keeper[firstPartitionOfTopic[topic] + partition] = member;
                    }
                }
            }
        }
    }

    int memberCount() {
        return group.members().size();
    }

    int partitionCount() {
        return topicOf.length;
    }

    int topicOf(int partition) {
        return topicOf[partition];
    }

    /** The members subscribed to the topic, ascending. */
    int[] subscribersOf(int topic) {
        return subscribersOf[topic];
    }

    /** The member that holds the partition now and may keep it, or {@link #NONE}. */
    int keeper(int partition) {
        return keeper[partition];
    }

    /** Whether every member subscribes to every assignable topic. */
    boolean identicalSubscriptions() {
        for (int[] subscribers : subscribersOf) {
            if (subscribers.length != memberCount()) {
                return false;
            }
        }
        return true;
    }

    /** The group assignment that gives each partition to {@code owner[partition]}. */
    GroupAssignment toAssignment(int[] owner) {
        AssignmentBuilder assignment = new AssignmentBuilder(group);
        for (int partition = 0; partition < owner.length; partition++) {
            int topic = topicOf[partition];
            assignment.add(group.members().get(owner[partition]), topics.get(topic), partition - firstPartitionOfTopic[topic]);
        }
        return assignment.build();
    }
}
