package io.tributary.tools;

import io.tributary.client.admin.Admin;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.admin.TopicDescription;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.tools.internal.CommandException;
import io.tributary.tools.internal.TopicScope;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Partition facts {@code consumer-groups} needs: which partitions exist, and their offsets. Topics
 * are looked up first, so a group's offsets of a deleted topic show as unknown instead of waiting
 * for the command timeout (an offset lookup retries unknown partitions until then).
 */
final class PartitionLookups {

    private PartitionLookups() {
    }

    /** The partition count of each of {@code topics} that exists. */
    static Map<String, Integer> partitionCounts(Admin admin, Collection<String> topics) throws InterruptedException {
        Map<String, Integer> counts = new TreeMap<>();
        if (topics.isEmpty()) {
            return counts;
        }
        Map<String, CompletableFuture<TopicDescription>> described = admin.describeTopics(Set.copyOf(topics))
                .topicNameValues();
        for (Map.Entry<String, CompletableFuture<TopicDescription>> topic : described.entrySet()) {
            try {
                counts.put(topic.getKey(), ClientCommand.await(topic.getValue()).partitions().size());
            } catch (UnknownTopicOrPartitionException e) {
                // A topic that does not exist has no count; the callers decide what that means.
            }
        }
        return counts;
    }

    /**
     * The partitions {@code scopes} name: each listed partition, or every partition of a topic named
     * alone.
     *
     * @throws CommandException naming a topic that does not exist or a partition it does not have
     */
    static Set<TopicPartition> partitionsOf(Admin admin, List<TopicScope> scopes) throws InterruptedException {
        Map<String, Integer> counts = partitionCounts(admin, scopes.stream().map(TopicScope::topic).toList());
        Set<TopicPartition> partitions = new TreeSet<>();
        for (TopicScope scope : scopes) {
            Integer count = counts.get(scope.topic());
            if (count == null) {
                throw new CommandException("topic '" + scope.topic() + "' does not exist");
            }
            if (scope.partitions().isEmpty()) {
                for (int p = 0; p < count; p++) {
                    partitions.add(new TopicPartition(scope.topic(), p));
                }
            }
            for (int p : scope.partitions()) {
                if (p >= count) {
                    throw new CommandException("topic '" + scope.topic() + "' has no partition " + p + " (it has "
                            + count + ")");
                }
                partitions.add(new TopicPartition(scope.topic(), p));
            }
        }
        return partitions;
    }

    /** Those of {@code partitions} that exist. */
    static Set<TopicPartition> existing(Admin admin, Collection<TopicPartition> partitions) throws InterruptedException {
        Map<String, Integer> counts = partitionCounts(admin, partitions.stream().map(TopicPartition::topic)
                .distinct().toList());
        Set<TopicPartition> existing = new TreeSet<>();
        partitions.stream().filter(tp -> tp.partition() < counts.getOrDefault(tp.topic(), 0)).forEach(existing::add);
        return existing;
    }

    /** The offset {@code spec} finds in each of {@code partitions}, which must exist. */
    static Map<TopicPartition, Long> offsets(Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> query = new LinkedHashMap<>();
        partitions.forEach(tp -> query.put(tp, spec));
        Map<TopicPartition, Long> offsets = new TreeMap<>();
        if (!query.isEmpty()) {
            Map<TopicPartition, ListOffsetsResultInfo> found = ClientCommand.await(admin.listOffsets(query).all());
            found.forEach((tp, info) -> offsets.put(tp, info.offset()));
        }
        return offsets;
    }
}
