package io.tributary.client.consumer.internal;

import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.TopicPartitions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Conversions between sets of partitions and the group protocol's per-topic lists. */
final class PartitionSets {

    /** Topic, then partition: the order callbacks and requests list partitions in. */
    static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private PartitionSets() {
    }

    /** Per-topic lists, topics by name and partitions ascending (as the protocol asks). */
    static List<TopicPartitions> toProto(Collection<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), ignored -> new ArrayList<>()).add(tp.partition());
        }
        List<TopicPartitions> out = new ArrayList<>();
        byTopic.forEach((topic, numbers) -> {
            numbers.sort(null);
            out.add(TopicPartitions.newBuilder().setTopic(topic).addAllPartitions(numbers).build());
        });
        return out;
    }

    static Set<TopicPartition> fromProto(List<TopicPartitions> topics) {
        Set<TopicPartition> out = new HashSet<>();
        for (TopicPartitions topic : topics) {
            for (int partition : topic.getPartitionsList()) {
                out.add(new TopicPartition(topic.getTopic(), partition));
            }
        }
        return Set.copyOf(out);
    }

    /** {@code a} without the members of {@code b}, in {@link #ORDER}. */
    static List<TopicPartition> minus(Collection<TopicPartition> a, Collection<TopicPartition> b) {
        Set<TopicPartition> exclude = b instanceof Set<TopicPartition> set ? set : new HashSet<>(b);
        return a.stream().filter(tp -> !exclude.contains(tp)).sorted(ORDER).toList();
    }
}
