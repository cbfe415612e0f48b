package io.tributary.broker.group;

import io.tributary.broker.group.assignor.MemberAssignment;
import io.tributary.common.TopicPartition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Set operations on {@link MemberAssignment}s (immutable values; every method returns a new one). */
final class Assignments {

    private Assignments() {
    }

    static MemberAssignment union(MemberAssignment a, MemberAssignment b) {
        Map<String, Set<Integer>> result = copy(a);
        b.partitionsByTopic().forEach((topic, partitions) ->
                result.computeIfAbsent(topic, t -> new HashSet<>()).addAll(partitions));
        return new MemberAssignment(result);
    }

    static MemberAssignment intersect(MemberAssignment a, MemberAssignment b) {
        return filter(a, tp -> contains(b, tp));
    }

    static MemberAssignment minus(MemberAssignment a, MemberAssignment b) {
        return filter(a, tp -> !contains(b, tp));
    }

    static MemberAssignment filter(MemberAssignment a, Predicate<TopicPartition> keep) {
        Map<String, Set<Integer>> result = new HashMap<>();
        a.partitionsByTopic().forEach((topic, partitions) -> {
            for (int partition : partitions) {
                if (keep.test(new TopicPartition(topic, partition))) {
                    result.computeIfAbsent(topic, t -> new HashSet<>()).add(partition);
                }
            }
        });
        return new MemberAssignment(result);
    }

    static boolean contains(MemberAssignment a, TopicPartition tp) {
        Set<Integer> partitions = a.partitionsByTopic().get(tp.topic());
        return partitions != null && partitions.contains(tp.partition());
    }

    static boolean isEmpty(MemberAssignment a) {
        return a.partitionsByTopic().isEmpty();
    }

    static boolean containsAll(MemberAssignment a, MemberAssignment b) {
        return isEmpty(minus(b, a));
    }

    static List<TopicPartition> partitions(MemberAssignment a) {
        return a.partitionsByTopic().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(p -> new TopicPartition(e.getKey(), p))).toList();
    }

    static int size(MemberAssignment a) {
        return a.partitionsByTopic().values().stream().mapToInt(Set::size).sum();
    }

    private static Map<String, Set<Integer>> copy(MemberAssignment a) {
        Map<String, Set<Integer>> result = new HashMap<>();
        a.partitionsByTopic().forEach((topic, partitions) -> result.put(topic, new HashSet<>(partitions)));
        return result;
    }
}
