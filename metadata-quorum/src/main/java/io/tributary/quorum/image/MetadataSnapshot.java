package io.tributary.quorum.image;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tributary.proto.metadata.v1.ConfigRecord;
import io.tributary.proto.metadata.v1.ConfigResourceType;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.MetadataRecordList;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.ProducerIdsRecord;
import io.tributary.proto.metadata.v1.RegisterBrokerRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import java.util.Map;

/**
 * A metadata image as snapshot bytes: the records that rebuild it from nothing, as one
 * {@link MetadataRecordList}. Loading replays them with the same code as the log, so a snapshot
 * cannot describe a state the log could not.
 */
public final class MetadataSnapshot {

    private MetadataSnapshot() {
    }

    /** The image's state as records, serialized. */
    public static byte[] serialize(MetadataImage image) {
        MetadataRecordList.Builder records = MetadataRecordList.newBuilder();
        for (BrokerImage broker : image.brokers().values()) {
            records.addRecords(MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder()
                    .setBrokerId(broker.id()).setIncarnationId(broker.incarnationId()).setHost(broker.host())
                    .setPort(broker.port()).setRack(broker.rack()).setFenced(broker.fenced())
                    .setInControlledShutdown(broker.inControlledShutdown()).setBrokerEpoch(broker.epoch())));
        }
        for (TopicImage topic : image.topicsByName().values()) {
            records.addRecords(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(topic.name())
                    .setTopicId(topic.topicId())));
            for (PartitionImage p : topic.partitions().values()) {
                records.addRecords(MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
                        .setTopicId(topic.topicId()).setPartition(p.partition()).addAllReplicas(p.replicas())
                        .addAllIsr(p.isr()).setLeader(p.leader()).setLeaderEpoch(p.leaderEpoch())
                        .setPartitionEpoch(p.partitionEpoch())));
            }
            topic.configs().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    records.addRecords(MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder()
                            .setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setResourceName(topic.name())
                            .setName(e.getKey()).setValue(e.getValue()))));
        }
        image.brokerConfigs().forEach((resource, configs) -> configs.entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).forEach(e ->
                        records.addRecords(MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder()
                                .setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER)
                                .setResourceName(resource).setName(e.getKey()).setValue(e.getValue())))));
        if (image.nextProducerId() > 0) {
            records.addRecords(MetadataRecord.newBuilder().setProducerIds(ProducerIdsRecord.newBuilder()
                    .setNextProducerId(image.nextProducerId())));
        }
        return records.build().toByteArray();
    }

    /**
     * The image a snapshot holds, as of {@code lastOffset} (the last log offset it covers).
     *
     * @throws IllegalStateException when the bytes are not a valid snapshot
     */
    public static MetadataImage deserialize(byte[] data, long lastOffset) {
        MetadataRecordList records;
        try {
            records = MetadataRecordList.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("metadata snapshot up to offset " + lastOffset + " is not a "
                    + "MetadataRecordList", e);
        }
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        for (MetadataRecord record : records.getRecordsList()) {
            delta.replay(record, lastOffset);
        }
        MetadataImage image = delta.apply();
        return new MetadataImage(lastOffset, image.topicsByName(), image.topicNamesById(), image.brokers(),
                image.nextProducerId(), image.brokerConfigs());
    }
}
