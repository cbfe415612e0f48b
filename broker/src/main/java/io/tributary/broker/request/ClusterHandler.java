package io.tributary.broker.request;

import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.BrokerEndpoint;
import io.tributary.proto.v1.DescribeTopicsRequest;
import io.tributary.proto.v1.DescribeTopicsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.ListTopicsRequest;
import io.tributary.proto.v1.ListTopicsResponse;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.PartitionMetadata;
import io.tributary.proto.v1.TopicDescription;
import io.tributary.proto.v1.TopicListing;
import io.tributary.proto.v1.TopicMetadata;
import java.util.Collection;
import java.util.List;
import java.util.function.IntSupplier;

/** Answers read-only metadata requests from the current image plus local partition offsets. Thread-safe. */
public final class ClusterHandler {

    private final String clusterId;
    private final int nodeId;
    private final MetadataLoader metadata;
    private final PartitionManager partitions;
    private final IntSupplier activeController;

    /**
     * @param activeController the active controller's node id as this node knows it, or -1
     */
    public ClusterHandler(String clusterId, int nodeId, MetadataLoader metadata, PartitionManager partitions,
                          IntSupplier activeController) {
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.metadata = metadata;
        this.partitions = partitions;
        this.activeController = activeController;
    }

    public MetadataResponse metadata(MetadataRequest request) {
        MetadataImage image = metadata.image();
        MetadataResponse.Builder response = MetadataResponse.newBuilder().setClusterId(clusterId)
                .setControllerId(activeController.getAsInt());
        for (BrokerImage broker : image.brokers().values()) {
            if (!broker.fenced()) {
                response.addBrokers(BrokerEndpoint.newBuilder().setNodeId(broker.id()).setHost(broker.host())
                        .setPort(broker.port()).setRack(broker.rack()));
            }
        }
        for (String name : requestedTopics(image, request.getTopicsList())) {
            TopicMetadata.Builder topic = TopicMetadata.newBuilder().setName(name);
            image.topic(name).ifPresentOrElse(t -> topic.setTopicId(t.topicId()).setInternal(t.internal())
                            .setErrorCode(ErrorCode.ERROR_CODE_NONE).addAllPartitions(partitionMetadata(t)),
                    () -> unknown(topic, name));
            response.addTopics(topic);
        }
        return response.build();
    }

    private static void unknown(TopicMetadata.Builder topic, String name) {
        topic.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION)
                .setErrorMessage("topic '" + name + "' does not exist");
    }

    public ListTopicsResponse listTopics(ListTopicsRequest request) {
        ListTopicsResponse.Builder response = ListTopicsResponse.newBuilder();
        for (TopicImage topic : metadata.image().topicsByName().values()) {
            if (request.getIncludeInternal() || !topic.internal()) {
                response.addTopics(TopicListing.newBuilder().setName(topic.name()).setTopicId(topic.topicId())
                        .setInternal(topic.internal()));
            }
        }
        return response.build();
    }

    public DescribeTopicsResponse describeTopics(DescribeTopicsRequest request) {
        MetadataImage image = metadata.image();
        DescribeTopicsResponse.Builder response = DescribeTopicsResponse.newBuilder();
        for (String name : requestedTopics(image, request.getNamesList())) {
            TopicDescription.Builder topic = TopicDescription.newBuilder().setName(name);
            image.topic(name).ifPresentOrElse(t -> topic.setTopicId(t.topicId()).setInternal(t.internal())
                            .setErrorCode(ErrorCode.ERROR_CODE_NONE).addAllPartitions(partitionMetadata(t))
                            .putAllConfigs(t.configs()),
                    () -> topic.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION)
                            .setErrorMessage("topic '" + name + "' does not exist"));
            response.addTopics(topic);
        }
        return response.build();
    }

    private static Collection<String> requestedTopics(MetadataImage image, List<String> requested) {
        return requested.isEmpty() ? image.topicsByName().keySet() : requested;
    }

    private List<PartitionMetadata> partitionMetadata(TopicImage topic) {
        return topic.partitions().values().stream().map(p -> partitionMetadata(topic, p)).toList();
    }

    private PartitionMetadata partitionMetadata(TopicImage topic, PartitionImage image) {
        PartitionMetadata.Builder builder = PartitionMetadata.newBuilder().setPartition(image.partition())
                .setErrorCode(ErrorCode.ERROR_CODE_NONE).setLeaderId(image.leader())
                .setLeaderEpoch(image.leaderEpoch()).addAllReplicas(image.replicas()).addAllIsr(image.isr())
                .setHighWatermark(-1).setLogStartOffset(-1).setLogEndOffset(-1);
        Partition local = partitions.partitionOrNull(new TopicPartition(topic.name(), image.partition()));
        if (image.leader() < 0) {
            builder.setErrorCode(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE);
        }
        if (local != null && local.isOffline()) {
            builder.setErrorCode(ErrorCode.ERROR_CODE_STORAGE_ERROR).addOfflineReplicas(nodeId);
        } else if (local != null && image.leader() == nodeId) {
            builder.setHighWatermark(local.highWatermark()).setLogStartOffset(local.logStartOffset())
                    .setLogEndOffset(local.logEndOffset());
        }
        return builder.build();
    }
}
