package io.tributary.client.internal;

import io.tributary.client.Node;
import io.tributary.client.PartitionInfo;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.BrokerEndpoint;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.PartitionMetadata;
import io.tributary.proto.v1.TopicMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of cluster metadata as one Metadata response described it: brokers, and for
 * each topic asked about either its partitions or the error the broker gave for it.
 *
 * @param clusterId   the cluster id, empty before the first response
 * @param controller  the controller's node id, or -1
 * @param brokers     brokers by node id
 * @param partitions  partitions by topic, for topics the response described without error
 * @param topicErrors the error code of each topic the response described with one
 * @param updatedMs   when the response arrived (client clock), 0 before the first one
 */
public record ClusterView(String clusterId, int controller, Map<Integer, Node> brokers,
                          Map<String, List<PartitionInfo>> partitions, Map<String, ErrorCode> topicErrors,
                          long updatedMs) {

    public static final ClusterView EMPTY = new ClusterView("", -1, Map.of(), Map.of(), Map.of(), 0);

    /** The snapshot a Metadata response describes. */
    public static ClusterView from(MetadataResponse response, long nowMs) {
        Map<Integer, Node> brokers = new HashMap<>();
        for (BrokerEndpoint broker : response.getBrokersList()) {
            brokers.put(broker.getNodeId(), new Node(broker.getNodeId(), broker.getHost(), broker.getPort(),
                    broker.getRack().isEmpty() ? null : broker.getRack()));
        }
        Map<String, List<PartitionInfo>> partitions = new HashMap<>();
        Map<String, ErrorCode> errors = new HashMap<>();
        for (TopicMetadata topic : response.getTopicsList()) {
            if (topic.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                errors.put(topic.getName(), topic.getErrorCode());
                continue;
            }
            List<PartitionInfo> infos = new ArrayList<>();
            for (PartitionMetadata p : topic.getPartitionsList()) {
                infos.add(new PartitionInfo(topic.getName(), p.getPartition(), p.getLeaderId(), p.getLeaderEpoch(),
                        p.getReplicasList(), p.getIsrList()));
            }
            infos.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            partitions.put(topic.getName(), Collections.unmodifiableList(infos));
        }
        return new ClusterView(response.getClusterId(), response.getControllerId(), Map.copyOf(brokers),
                Map.copyOf(partitions), Map.copyOf(errors), nowMs);
    }

    /** The partitions of {@code topic}, or null when this snapshot does not describe it. */
    public List<PartitionInfo> partitionsFor(String topic) {
        return partitions.get(topic);
    }

    /** The partition count of {@code topic}, or -1 when unknown. */
    public int partitionCount(String topic) {
        List<PartitionInfo> infos = partitions.get(topic);
        return infos == null ? -1 : infos.size();
    }

    /** The leader of {@code tp}, or null when it has none or the partition is unknown. */
    public Node leaderFor(TopicPartition tp) {
        PartitionInfo info = partition(tp);
        return info == null || info.leader() < 0 ? null : brokers.get(info.leader());
    }

    /** The metadata of {@code tp}, or null when unknown. */
    public PartitionInfo partition(TopicPartition tp) {
        List<PartitionInfo> infos = partitions.get(tp.topic());
        if (infos == null || tp.partition() < 0 || tp.partition() >= infos.size()) {
            return null;
        }
        return infos.get(tp.partition());
    }
}
