package io.tributary.quorum.controller;

import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.TopicImage;
import io.tributary.common.TopicNames;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidPartitionsException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.InvalidReplicationFactorException;
import io.tributary.common.errors.InvalidTopicException;
import io.tributary.common.errors.TopicExistsException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.metadata.v1.ConfigRecord;
import io.tributary.proto.metadata.v1.ConfigResourceType;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.RemoveTopicRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreatePartitionsResponse;
import io.tributary.proto.v1.CreatePartitionsResult;
import io.tributary.proto.v1.CreateTopicResult;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteTopicResult;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionCountChange;
import io.tributary.storage.LogConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Validates topic administration requests against a metadata image and turns them into records
 * plus a response. Pure: no I/O, no clock, ids come from the injected supplier, and nothing changes
 * until the records are committed and replayed. Each topic in a request succeeds or fails on its own.
 */
public final class TopicControl {

    /** Upper bound on partitions per topic, to keep a typo from creating millions of directories. */
    public static final int MAX_PARTITIONS = 100_000;

    private final int defaultPartitions;
    private final int defaultReplicationFactor;
    private final Map<String, String> topicConfigDefaults;
    private final Supplier<UUID> topicIds;
    private final ReplicaPlacer placer;

    public TopicControl(int defaultPartitions, int defaultReplicationFactor, Map<String, String> topicConfigDefaults,
                        Supplier<UUID> topicIds, ReplicaPlacer placer) {
        this.placer = placer;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.topicConfigDefaults = Map.copyOf(topicConfigDefaults);
        this.topicIds = topicIds;
    }

    public ControllerResult<CreateTopicsResponse> createTopics(MetadataImage image, CreateTopicsRequest request) {
        List<MetadataRecord> records = new ArrayList<>();
        CreateTopicsResponse.Builder response = CreateTopicsResponse.newBuilder();
        Set<String> collisionKeysCreated = new HashSet<>();
        for (NewTopic topic : request.getTopicsList()) {
            try {
                int partitions = topic.hasNumPartitions() ? topic.getNumPartitions() : defaultPartitions;
                int replicationFactor = topic.hasReplicationFactor() ? topic.getReplicationFactor()
                        : defaultReplicationFactor;
                validateNewTopic(image, topic, partitions, replicationFactor, request.getInternal(), collisionKeysCreated);
                CreateTopicResult.Builder result = CreateTopicResult.newBuilder().setName(topic.getName())
                        .setErrorCode(ErrorCode.ERROR_CODE_NONE).setNumPartitions(partitions)
                        .setReplicationFactor(replicationFactor);
                if (!request.getValidateOnly()) {
                    String topicId = topicIds.get().toString();
                    records.addAll(newTopicRecords(image, topic, topicId, partitions, replicationFactor));
                    result.setTopicId(topicId);
                }
                collisionKeysCreated.add(TopicNames.collisionKey(topic.getName()));
                response.addTopics(result);
            } catch (ApiException e) {
                response.addTopics(CreateTopicResult.newBuilder().setName(topic.getName())
                        .setErrorCode(e.errorCode()).setErrorMessage(e.getMessage()));
            }
        }
        return new ControllerResult<>(records, response.build());
    }

    private void validateNewTopic(MetadataImage image, NewTopic topic, int partitions, int replicationFactor,
                                  boolean internal, Set<String> collisionKeysCreated) {
        String name = topic.getName();
        TopicNames.validate(name);
        if (TopicImage.isInternal(name) && !internal) {
            throw new InvalidTopicException("topic name '" + name + "' is reserved: names starting with '__'"
                    + " are internal topics");
        }
        if (internal && !TopicImage.isInternal(name)) {
            throw new InvalidTopicException("topic '" + name + "' is not an internal topic name (they start with '__')");
        }
        if (image.topic(name).isPresent()) {
            throw new TopicExistsException("topic '" + name + "' already exists");
        }
        String collisionKey = TopicNames.collisionKey(name);
        for (String existing : image.topicsByName().keySet()) {
            if (TopicNames.collisionKey(existing).equals(collisionKey)) {
                throw new InvalidTopicException("topic '" + name + "' collides with existing topic '" + existing
                        + "': names may not differ only in '.' versus '_'");
            }
        }
        if (collisionKeysCreated.contains(collisionKey)) {
            throw new InvalidTopicException("topic '" + name + "' collides with another topic in this request");
        }
        validatePartitionCount(partitions);
        if (replicationFactor < 1) {
            throw new InvalidReplicationFactorException("replication factor must be at least 1 (got "
                    + replicationFactor + ")");
        }
        long liveBrokers = image.liveBrokerCount();
        if (replicationFactor > liveBrokers) {
            throw new InvalidReplicationFactorException("replication factor " + replicationFactor
                    + " exceeds the " + liveBrokers + " available broker(s)");
        }
        Map<String, String> merged = new HashMap<>(topicConfigDefaults);
        merged.putAll(topic.getConfigsMap());
        LogConfig.fromProperties(merged);
    }

    private static void validatePartitionCount(int partitions) {
        if (partitions < 1) {
            throw new InvalidPartitionsException("number of partitions must be at least 1 (got " + partitions + ")");
        }
        if (partitions > MAX_PARTITIONS) {
            throw new InvalidPartitionsException("number of partitions " + partitions + " exceeds the maximum "
                    + MAX_PARTITIONS);
        }
    }

    private List<MetadataRecord> newTopicRecords(MetadataImage image, NewTopic topic, String topicId, int partitions,
                                                 int replicationFactor) {
        List<MetadataRecord> records = new ArrayList<>();
        records.add(MetadataRecord.newBuilder()
                .setTopic(TopicRecord.newBuilder().setName(topic.getName()).setTopicId(topicId)).build());
        records.addAll(partitionRecords(image, topicId, 0, partitions, replicationFactor));
        topic.getConfigsMap().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                records.add(MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder()
                        .setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC)
                        .setResourceName(topic.getName()).setName(e.getKey()).setValue(e.getValue())).build()));
        return records;
    }

    /** New partitions placed on the active brokers: every replica in sync, the first one leading. */
    private List<MetadataRecord> partitionRecords(MetadataImage image, String topicId, int firstPartition, int count,
                                                  int replicationFactor) {
        List<BrokerImage> active = image.brokers().values().stream().filter(BrokerImage::active).toList();
        List<List<Integer>> placement = placer.place(firstPartition, count, replicationFactor, active);
        List<MetadataRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Integer> replicas = placement.get(i);
            records.add(MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId(topicId)
                    .setPartition(firstPartition + i).addAllReplicas(replicas).addAllIsr(replicas)
                    .setLeader(replicas.get(0)).setLeaderEpoch(0).setPartitionEpoch(0)).build());
        }
        return records;
    }

    public ControllerResult<DeleteTopicsResponse> deleteTopics(MetadataImage image, DeleteTopicsRequest request) {
        List<MetadataRecord> records = new ArrayList<>();
        DeleteTopicsResponse.Builder response = DeleteTopicsResponse.newBuilder();
        Set<String> seen = new HashSet<>();
        for (String name : request.getNamesList()) {
            DeleteTopicResult.Builder result = DeleteTopicResult.newBuilder().setName(name);
            TopicImage topic = image.topic(name).orElse(null);
            if (!seen.add(name)) {
                ApiException e = new InvalidRequestException("topic '" + name + "' is named more than once");
                result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
            } else if (topic == null) {
                ApiException e = new UnknownTopicOrPartitionException("topic '" + name + "' does not exist");
                result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
            } else if (topic.internal()) {
                ApiException e = new InvalidTopicException("topic '" + name + "' is internal and cannot be deleted");
                result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
            } else {
                records.add(MetadataRecord.newBuilder()
                        .setRemoveTopic(RemoveTopicRecord.newBuilder().setTopicId(topic.topicId())).build());
                result.setErrorCode(ErrorCode.ERROR_CODE_NONE);
            }
            response.addTopics(result);
        }
        return new ControllerResult<>(records, response.build());
    }

    public ControllerResult<CreatePartitionsResponse> createPartitions(MetadataImage image,
                                                                       CreatePartitionsRequest request) {
        List<MetadataRecord> records = new ArrayList<>();
        CreatePartitionsResponse.Builder response = CreatePartitionsResponse.newBuilder();
        Set<String> seen = new HashSet<>();
        for (PartitionCountChange change : request.getTopicsList()) {
            CreatePartitionsResult.Builder result = CreatePartitionsResult.newBuilder().setName(change.getName());
            try {
                if (!seen.add(change.getName())) {
                    throw new InvalidRequestException("topic '" + change.getName() + "' is named more than once");
                }
                TopicImage topic = image.topic(change.getName()).orElseThrow(() ->
                        new UnknownTopicOrPartitionException("topic '" + change.getName() + "' does not exist"));
                if (topic.internal()) {
                    // Groups map to __consumer_offsets partitions by count: more would move them all.
                    throw new InvalidTopicException("topic '" + change.getName() + "' is internal; its partition "
                            + "count cannot change");
                }
                int current = topic.partitions().size();
                if (change.getTotalCount() <= current) {
                    throw new InvalidPartitionsException("topic '" + change.getName() + "' has " + current
                            + " partitions; the new count must be larger (got " + change.getTotalCount() + ")");
                }
                validatePartitionCount(change.getTotalCount());
                int replicationFactor = topic.partitions().get(0).replicas().size();
                if (replicationFactor > image.liveBrokerCount()) {
                    throw new InvalidReplicationFactorException("topic '" + change.getName() + "' has replication "
                            + "factor " + replicationFactor + " but only " + image.liveBrokerCount()
                            + " broker(s) are available");
                }
                if (!request.getValidateOnly()) {
                    records.addAll(partitionRecords(image, topic.topicId(), current, change.getTotalCount() - current,
                            replicationFactor));
                }
                result.setErrorCode(ErrorCode.ERROR_CODE_NONE);
            } catch (ApiException e) {
                result.setErrorCode(Errors.codeFor(e)).setErrorMessage(e.getMessage());
            }
            response.addTopics(result);
        }
        return new ControllerResult<>(records, response.build());
    }
}
