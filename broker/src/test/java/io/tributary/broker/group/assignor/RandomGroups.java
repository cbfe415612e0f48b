package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Seeded random assignor inputs: topics with random partition counts, members with random subscriptions
 * (sometimes naming a topic that does not exist) and random current assignments, which may be unbalanced
 * and may hold partitions the member can no longer keep (unsubscribed topic, deleted topic, partition
 * beyond the count), as after a subscription or metadata change.
 */
final class RandomGroups {

    static final String MISSING_TOPIC = "missing";

    private final SplittableRandom random;
    private int nextMemberId;

    RandomGroups(long seed) {
        this.random = new SplittableRandom(seed);
    }

    SplittableRandom random() {
        return random;
    }

    /** 1 to {@code maxTopics} topics named t0, t1, ... with 0 to {@code maxPartitions} partitions each. */
    TopicMetadata topics(int maxTopics, int maxPartitions) {
        Map<String, Integer> counts = new TreeMap<>();
        int topicCount = random.nextInt(1, maxTopics + 1);
        for (int topic = 0; topic < topicCount; topic++) {
            counts.put("t" + topic, random.nextInt(0, maxPartitions + 1));
        }
        return new TopicMetadata(counts);
    }

    /** A random subset of the topics, now and then with a topic that does not exist. */
    Set<String> subscription(TopicMetadata topics) {
        Set<String> subscribed = new TreeSet<>();
        for (String topic : topics.partitionCounts().keySet()) {
            if (random.nextBoolean()) {
                subscribed.add(topic);
            }
        }
        if (random.nextInt(5) == 0) {
            subscribed.add(MISSING_TOPIC);
        }
        return subscribed;
    }

    /** {@code count} members, each with the subscription {@code subscriptions} gives it and no partitions. */
    List<MemberSpec> members(int count, Supplier<Set<String>> subscriptions) {
        List<MemberSpec> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            members.add(newMember(subscriptions.get()));
        }
        return members;
    }

    MemberSpec newMember(Set<String> subscription) {
        String memberId = "m" + nextMemberId++;
        Optional<String> instanceId = random.nextInt(4) == 0 ? Optional.of("i-" + memberId) : Optional.empty();
        return new MemberSpec(memberId, instanceId, subscription, MemberAssignment.EMPTY);
    }

    /**
     * The members with random, disjoint current assignments: each partition (plus one beyond each topic's
     * count and one of a missing topic) goes to a random member, or to nobody, whatever the subscriptions.
     */
    GroupSpec withRandomCurrentAssignments(List<MemberSpec> members, TopicMetadata topics) {
        List<Map<String, Set<Integer>>> current = new ArrayList<>();
        members.forEach(member -> current.add(new HashMap<>()));
        Map<String, Integer> counts = new TreeMap<>(topics.partitionCounts());
        counts.put(MISSING_TOPIC, 1);
        counts.forEach((topic, count) -> {
            for (int partition = 0; partition <= count; partition++) {
                if (random.nextInt(4) != 0) {
                    current.get(random.nextInt(members.size())).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
                }
            }
        });
        List<MemberSpec> withCurrent = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            withCurrent.add(withCurrent(members.get(i), new MemberAssignment(current.get(i))));
        }
        return new GroupSpec(withCurrent);
    }

    /** The members, each holding what {@code assignment} gives it. */
    static GroupSpec withCurrentAssignments(List<MemberSpec> members, GroupAssignment assignment) {
        List<MemberSpec> withCurrent = new ArrayList<>();
        for (MemberSpec member : members) {
            withCurrent.add(withCurrent(member, assignment.members().get(member.memberId())));
        }
        return new GroupSpec(withCurrent);
    }

    static MemberSpec withCurrent(MemberSpec member, MemberAssignment current) {
        return new MemberSpec(member.memberId(), member.instanceId(), member.subscribedTopics(), current);
    }

    static MemberSpec withSubscription(MemberSpec member, Set<String> subscription) {
        return new MemberSpec(member.memberId(), member.instanceId(), subscription, member.currentAssignment());
    }
}
