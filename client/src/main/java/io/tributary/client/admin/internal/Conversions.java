package io.tributary.client.admin.internal;

import io.tributary.client.Node;
import io.tributary.client.admin.TopicDescription;
import io.tributary.client.admin.TopicListing;
import io.tributary.client.admin.TopicPartitionInfo;
import io.tributary.proto.v1.ListTopicsResponse;
import io.tributary.proto.v1.PartitionMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Turns admin responses into the public admin types. Stateless. */
public final class Conversions {

    private static final UUID NO_ID = new UUID(0L, 0L);

    private Conversions() {
    }

    /** The id in {@code text}; all zeros when empty (e.g. a topic only validated, not created). */
    public static UUID topicId(String text) {
        return text.isEmpty() ? NO_ID : UUID.fromString(text);
    }

    /** The listings by name, in name order. */
    public static Map<String, TopicListing> listings(ListTopicsResponse response) {
        Map<String, TopicListing> byName = new LinkedHashMap<>();
        response.getTopicsList().stream()
                .sorted(Comparator.comparing(io.tributary.proto.v1.TopicListing::getName))
                .forEach(t -> byName.put(t.getName(), new TopicListing(t.getName(), topicId(t.getTopicId()),
                        t.getInternal())));
        return Collections.unmodifiableMap(byName);
    }

    /** A described topic, its replicas resolved to nodes through {@code brokers}. */
    public static TopicDescription description(io.tributary.proto.v1.TopicDescription topic,
                                               Map<Integer, Node> brokers) {
        List<TopicPartitionInfo> partitions = new ArrayList<>();
        topic.getPartitionsList().stream().sorted(Comparator.comparingInt(PartitionMetadata::getPartition))
                .forEach(p -> partitions.add(new TopicPartitionInfo(p.getPartition(),
                        p.getLeaderId() < 0 ? null : node(brokers, p.getLeaderId()),
                        nodes(brokers, p.getReplicasList()), nodes(brokers, p.getIsrList()))));
        return new TopicDescription(topic.getName(), topic.getInternal(), topicId(topic.getTopicId()), partitions,
                topic.getConfigsMap());
    }

    private static List<Node> nodes(Map<Integer, Node> brokers, List<Integer> ids) {
        return ids.stream().map(id -> node(brokers, id)).toList();
    }

    /** The broker with {@code id}, or a node with only the id when it is not a live broker. */
    private static Node node(Map<Integer, Node> brokers, int id) {
        Node node = brokers.get(id);
        return node != null ? node : new Node(id, "", -1, null);
    }
}
