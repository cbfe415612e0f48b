package io.tributary.quorum.image;

import io.tributary.proto.metadata.v1.BrokerRegistrationChangeRecord;
import io.tributary.proto.metadata.v1.ConfigRecord;
import io.tributary.proto.metadata.v1.ConfigResourceType;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.ProducerIdsRecord;
import io.tributary.proto.metadata.v1.RegisterBrokerRecord;
import io.tributary.proto.metadata.v1.RemoveTopicRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Folds metadata records into changes against a base image. {@link #replay} is the only way
 * metadata state changes, on every node, at start-up and at run time alike; it rejects records that
 * contradict the state (an unknown topic id, a duplicate topic, a partition epoch going backwards)
 * with IllegalStateException, because such a log is corrupt and must not be applied.
 *
 * <p>Not thread-safe: one delta is built and applied by one thread.
 */
public final class MetadataDelta {

    private final MetadataImage base;
    private final Map<String, TopicImage> topics;
    private final Map<String, String> namesById;
    private final SortedMap<Integer, BrokerImage> brokers;
    private final Set<String> createdTopics = new HashSet<>();
    private final Map<String, TopicImage> deletedTopics = new LinkedHashMap<>();
    private final Set<String> changedTopics = new HashSet<>();
    private final SortedMap<String, Map<String, String>> brokerConfigs;
    private boolean brokerConfigsChanged;
    private long nextProducerId;
    private long lastOffset;

    public MetadataDelta(MetadataImage base) {
        this.base = base;
        this.topics = new HashMap<>(base.topicsByName());
        this.namesById = new HashMap<>(base.topicNamesById());
        this.brokers = new TreeMap<>(base.brokers());
        this.brokerConfigs = new TreeMap<>(base.brokerConfigs());
        this.nextProducerId = base.nextProducerId();
        this.lastOffset = base.lastOffset();
    }

    /** Applies one committed record found at {@code offset} of the metadata log. */
    public void replay(MetadataRecord record, long offset) {
        switch (record.getRecordCase()) {
            case TOPIC -> replayTopic(record.getTopic());
            case PARTITION -> replayPartition(record.getPartition());
            case REMOVE_TOPIC -> replayRemoveTopic(record.getRemoveTopic());
            case CONFIG -> replayConfig(record.getConfig());
            case REGISTER_BROKER -> replayRegisterBroker(record.getRegisterBroker(), offset);
            case BROKER_REGISTRATION_CHANGE -> replayRegistrationChange(record.getBrokerRegistrationChange(), offset);
            case PRODUCER_IDS -> replayProducerIds(record.getProducerIds(), offset);
            case FEATURE_LEVEL -> { }
            case RECORD_NOT_SET -> throw new IllegalStateException("metadata record at offset " + offset + " is empty");
        }
        lastOffset = offset;
    }

    private void replayTopic(TopicRecord record) {
        if (topics.containsKey(record.getName()) || namesById.containsKey(record.getTopicId())) {
            throw new IllegalStateException("TopicRecord for existing topic " + record.getName());
        }
        topics.put(record.getName(), new TopicImage(record.getName(), record.getTopicId(), new TreeMap<>(), Map.of()));
        namesById.put(record.getTopicId(), record.getName());
        createdTopics.add(record.getName());
        changedTopics.add(record.getName());
    }

    private void replayPartition(PartitionRecord record) {
        TopicImage topic = requireTopicById(record.getTopicId(), "PartitionRecord");
        PartitionImage previous = topic.partitions().get(record.getPartition());
        if (previous != null && record.getPartitionEpoch() < previous.partitionEpoch()) {
            throw new IllegalStateException("PartitionRecord for " + topic.name() + "-" + record.getPartition()
                    + " moves the partition epoch back from " + previous.partitionEpoch() + " to "
                    + record.getPartitionEpoch());
        }
        TreeMap<Integer, PartitionImage> partitions = new TreeMap<>(topic.partitions());
        partitions.put(record.getPartition(), new PartitionImage(record.getPartition(), record.getReplicasList(),
                record.getIsrList(), record.getLeader(), record.getLeaderEpoch(), record.getPartitionEpoch()));
        topics.put(topic.name(), new TopicImage(topic.name(), topic.topicId(), partitions, topic.configs()));
        changedTopics.add(topic.name());
    }

    private void replayRemoveTopic(RemoveTopicRecord record) {
        TopicImage topic = requireTopicById(record.getTopicId(), "RemoveTopicRecord");
        topics.remove(topic.name());
        namesById.remove(topic.topicId());
        changedTopics.remove(topic.name());
        if (!createdTopics.remove(topic.name())) {
            deletedTopics.put(topic.name(), base.topicsByName().get(topic.name()));
        }
    }

    private void replayConfig(ConfigRecord record) {
        if (record.getResourceType() == ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER) {
            replayBrokerConfig(record);
            return;
        }
        if (record.getResourceType() != ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC) {
            throw new IllegalStateException("ConfigRecord for resource '" + record.getResourceName()
                    + "' has no resource type");
        }
        TopicImage topic = topics.get(record.getResourceName());
        if (topic == null) {
            throw new IllegalStateException("ConfigRecord for unknown topic " + record.getResourceName());
        }
        Map<String, String> configs = new HashMap<>(topic.configs());
        if (record.hasValue()) {
            configs.put(record.getName(), record.getValue());
        } else {
            configs.remove(record.getName());
        }
        topics.put(topic.name(), new TopicImage(topic.name(), topic.topicId(), topic.partitions(), configs));
        changedTopics.add(topic.name());
    }

    /** A broker's (or the cluster default's) dynamic config; a resource left without keys disappears. */
    private void replayBrokerConfig(ConfigRecord record) {
        Map<String, String> configs = new HashMap<>(brokerConfigs.getOrDefault(record.getResourceName(), Map.of()));
        if (record.hasValue()) {
            configs.put(record.getName(), record.getValue());
        } else {
            configs.remove(record.getName());
        }
        if (configs.isEmpty()) {
            brokerConfigs.remove(record.getResourceName());
        } else {
            brokerConfigs.put(record.getResourceName(), configs);
        }
        brokerConfigsChanged = true;
    }

    private void replayRegisterBroker(RegisterBrokerRecord record, long offset) {
        long epoch = record.hasBrokerEpoch() ? record.getBrokerEpoch() : offset;
        brokers.put(record.getBrokerId(), new BrokerImage(record.getBrokerId(), record.getIncarnationId(),
                record.getHost(), record.getPort(), record.getRack(), record.getFenced(),
                record.getInControlledShutdown(), epoch));
    }

    private void replayRegistrationChange(BrokerRegistrationChangeRecord record, long offset) {
        BrokerImage broker = brokers.get(record.getBrokerId());
        if (broker == null || broker.epoch() != record.getBrokerEpoch()) {
            throw new IllegalStateException("BrokerRegistrationChangeRecord at offset " + offset + " for broker "
                    + record.getBrokerId() + " epoch " + record.getBrokerEpoch() + ", which is not registered");
        }
        if (record.hasFenced()) {
            broker = broker.withFenced(record.getFenced());
        }
        if (record.hasInControlledShutdown()) {
            broker = broker.withControlledShutdown(record.getInControlledShutdown());
        }
        brokers.put(broker.id(), broker);
    }

    private void replayProducerIds(ProducerIdsRecord record, long offset) {
        if (record.getNextProducerId() <= nextProducerId) {
            throw new IllegalStateException("ProducerIdsRecord at offset " + offset + " moves the next producer id"
                    + " back from " + nextProducerId + " to " + record.getNextProducerId());
        }
        nextProducerId = record.getNextProducerId();
    }

    private TopicImage requireTopicById(String topicId, String recordType) {
        String name = namesById.get(topicId);
        if (name == null) {
            throw new IllegalStateException(recordType + " for unknown topic id " + topicId);
        }
        return topics.get(name);
    }

    /**
     * Replaces the whole state by {@code snapshot} (a snapshot loaded over an older image): topics
     * not in it are deleted, topics in it count as changed, so publishers converge to it.
     */
    public void replaceWith(MetadataImage snapshot) {
        for (TopicImage topic : base.topicsByName().values()) {
            if (snapshot.topicById(topic.topicId()).isEmpty()) {
                deletedTopics.put(topic.name(), topic);
            }
        }
        topics.clear();
        topics.putAll(snapshot.topicsByName());
        namesById.clear();
        namesById.putAll(snapshot.topicNamesById());
        changedTopics.addAll(snapshot.topicsByName().keySet());
        snapshot.topicsByName().values().stream().filter(t -> base.topicById(t.topicId()).isEmpty())
                .forEach(t -> createdTopics.add(t.name()));
        brokers.clear();
        brokers.putAll(snapshot.brokers());
        brokerConfigsChanged |= !brokerConfigs.equals(snapshot.brokerConfigs());
        brokerConfigs.clear();
        brokerConfigs.putAll(snapshot.brokerConfigs());
        nextProducerId = snapshot.nextProducerId();
        lastOffset = snapshot.lastOffset();
    }

    /** The image with every replayed record applied. */
    public MetadataImage apply() {
        return new MetadataImage(lastOffset, new TreeMap<>(topics), namesById, brokers, nextProducerId,
                brokerConfigs);
    }

    /** Whether this delta set or removed any dynamic broker config (per broker or cluster default). */
    public boolean brokerConfigsChanged() {
        return brokerConfigsChanged;
    }

    /** Topics created by this delta (and not deleted again within it). */
    public Set<String> createdTopics() {
        return Set.copyOf(createdTopics);
    }

    /** Topics that existed in the base image and were deleted, with their last image. */
    public Map<String, TopicImage> deletedTopics() {
        return Map.copyOf(deletedTopics);
    }

    /** Topics created or changed (partitions, configs) by this delta that still exist. */
    public Set<String> changedTopics() {
        return Set.copyOf(changedTopics);
    }
}
