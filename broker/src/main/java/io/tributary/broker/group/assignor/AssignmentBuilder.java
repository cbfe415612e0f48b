package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Collects a group's target assignment partition by partition; every member starts with none. */
final class AssignmentBuilder {

    private final Map<String, Map<String, Set<Integer>>> partitionsByMember = new HashMap<>();

    AssignmentBuilder(GroupSpec group) {
        for (MemberSpec member : group.members()) {
            partitionsByMember.put(member.memberId(), new HashMap<>());
        }
    }

    /**
     * The topics that can be assigned, in name order, each with its subscribers in assignment order: the
     * topics that exist with at least one partition and that at least one member subscribes to.
     */
    static SortedMap<String, List<MemberSpec>> subscribersByTopic(GroupSpec group, TopicMetadata topics) {
        SortedMap<String, List<MemberSpec>> subscribers = new TreeMap<>();
        for (MemberSpec member : group.members()) {
            for (String topic : member.subscribedTopics()) {
                if (topics.partitionCount(topic) > 0) {
                    subscribers.computeIfAbsent(topic, t -> new ArrayList<>()).add(member);
                }
            }
        }
        return subscribers;
    }

    void add(MemberSpec member, String topic, int partition) {
        partitionsByMember.get(member.memberId()).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
    }

    GroupAssignment build() {
        Map<String, MemberAssignment> members = new HashMap<>();
        partitionsByMember.forEach((memberId, partitions) -> members.put(memberId, new MemberAssignment(partitions)));
        return new GroupAssignment(members);
    }
}
