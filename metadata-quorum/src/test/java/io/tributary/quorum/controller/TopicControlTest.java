package io.tributary.quorum.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.quorum.image.MetadataImage;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionCountChange;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The controller's topic logic as a pure function of (image, request): records plus response, nothing else. */
@Tag("unit")
class TopicControlTest {

    private final AtomicLong ids = new AtomicLong();
    private final TopicControl control = new TopicControl(3, 1, Map.of("retention.ms", "1000"),
            () -> new UUID(0, ids.incrementAndGet()), new ReplicaPlacer(new Random(42)));

    private static MetadataImage apply(MetadataImage image, List<MetadataRecord> records) {
        return Images.apply(image, records);
    }

    private static MetadataImage oneBroker() {
        return Images.brokers(List.of(7), List.of());
    }

    @Test
    void createUsesDefaultsAssignsTheBrokerAndChangesNothingUntilReplayed() {
        MetadataImage image = oneBroker();
        ControllerResult<CreateTopicsResponse> result = control.createTopics(image, CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("t").putConfigs("segment.bytes", "4096")).build());
        assertTrue(image.topic("t").isEmpty(), "generating records must not touch the image");
        assertEquals(1 + 3 + 1, result.records().size(), "topic, 3 partitions, 1 config");
        assertEquals(new UUID(0, 1).toString(), result.response().getTopics(0).getTopicId());

        MetadataImage after = apply(image, result.records());
        var topic = after.topic("t").orElseThrow();
        assertEquals(3, topic.partitions().size());
        topic.partitions().values().forEach(p -> {
            assertEquals(List.of(7), p.replicas());
            assertEquals(7, p.leader());
            assertEquals(0, p.leaderEpoch());
        });
        assertEquals(Map.of("segment.bytes", "4096"), topic.configs());
    }

    @Test
    void oneBadTopicDoesNotFailTheOthersAndProducesNoRecords() {
        var result = control.createTopics(oneBroker(), CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("good").setNumPartitions(1))
                .addTopics(NewTopic.newBuilder().setName("bad!").setNumPartitions(1))
                .addTopics(NewTopic.newBuilder().setName("cfg").putConfigs("retention.ms", "soon")).build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.response().getTopics(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC, result.response().getTopics(1).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG, result.response().getTopics(2).getErrorCode());
        assertEquals(2, result.records().size(), "only the good topic's topic and partition records");
    }

    @Test
    void namesThatCollideWithinOneRequestAreRejected() {
        var result = control.createTopics(oneBroker(), CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("a.b")).addTopics(NewTopic.newBuilder().setName("a_b"))
                .build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.response().getTopics(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC, result.response().getTopics(1).getErrorCode());
    }

    @Test
    void internalTopicsAreCreatedOnlyByInternalRequestsAndInternalRequestsOnlyCreateThem() {
        var external = control.createTopics(oneBroker(), CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("__consumer_offsets").setNumPartitions(1)).build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC, external.response().getTopics(0).getErrorCode());
        assertTrue(external.records().isEmpty());
        var internal = control.createTopics(oneBroker(), CreateTopicsRequest.newBuilder().setInternal(true)
                .addTopics(NewTopic.newBuilder().setName("__consumer_offsets").setNumPartitions(1))
                .addTopics(NewTopic.newBuilder().setName("ordinary").setNumPartitions(1)).build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, internal.response().getTopics(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC, internal.response().getTopics(1).getErrorCode());
        assertTrue(internal.response().getTopics(1).getErrorMessage().contains("not an internal topic name"));

        MetadataImage withOffsets = apply(oneBroker(), internal.records());
        var deleted = control.deleteTopics(withOffsets, DeleteTopicsRequest.newBuilder()
                .addNames("__consumer_offsets").build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC, deleted.response().getTopics(0).getErrorCode());
        assertTrue(deleted.records().isEmpty());
        var grown = control.createPartitions(withOffsets, CreatePartitionsRequest.newBuilder()
                .addTopics(PartitionCountChange.newBuilder().setName("__consumer_offsets")
                        .setTotalCount(5)).build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC, grown.response().getTopics(0).getErrorCode());
        assertTrue(grown.records().isEmpty());
    }

    @Test
    void withoutRegisteredBrokersNoReplicationFactorFits() {
        var result = control.createTopics(MetadataImage.EMPTY, CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("t")).build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR, result.response().getTopics(0).getErrorCode());
    }

    @Test
    void replicasSpreadOverTheActiveBrokersWithLeadersBalanced() {
        MetadataImage image = Images.brokers(List.of(1, 2, 3, 4), List.of());
        image = apply(image, List.of(MetadataRecord.newBuilder().setBrokerRegistrationChange(
                io.tributary.proto.metadata.v1.BrokerRegistrationChangeRecord.newBuilder().setBrokerId(4)
                        .setBrokerEpoch(image.broker(4).orElseThrow().epoch()).setFenced(true)).build()));
        var result = control.createTopics(image, CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("t").setNumPartitions(6).setReplicationFactor(3)).build());
        var topic = apply(image, result.records()).topic("t").orElseThrow();
        Map<Integer, Integer> leaders = new java.util.TreeMap<>();
        topic.partitions().values().forEach(p -> {
            assertEquals(3, new java.util.HashSet<>(p.replicas()).size(), "three distinct replicas: " + p);
            assertTrue(!p.replicas().contains(4), "a fenced broker gets no replicas: " + p);
            assertEquals(p.replicas(), p.isr(), "every new replica is in sync");
            assertEquals(p.replicas().get(0), p.leader(), "the preferred replica leads");
            leaders.merge(p.leader(), 1, Integer::sum);
        });
        assertEquals(Map.of(1, 2, 2, 2, 3, 2), leaders, "leaders are balanced");
        var tooMany = control.createTopics(image, CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("u").setReplicationFactor(4)).build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR, tooMany.response().getTopics(0).getErrorCode());
    }

    @Test
    void withRacksEveryPartitionSpansDistinctRacks() {
        MetadataImage image = Images.brokers(List.of(1, 2, 3, 4, 5, 6), List.of("a", "a", "b", "b", "c", "c"));
        var result = control.createTopics(image, CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("t").setNumPartitions(12).setReplicationFactor(3)).build());
        var after = apply(image, result.records());
        after.topic("t").orElseThrow().partitions().values().forEach(p -> assertEquals(3, p.replicas().stream()
                .map(id -> after.broker(id).orElseThrow().rack()).distinct().count(), "one replica per rack: " + p));
    }

    @Test
    void growingPartitionsAddsOnlyTheNewOnes() {
        MetadataImage image = apply(oneBroker(), control.createTopics(oneBroker(), CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("t").setNumPartitions(2)).build()).records());
        var grow = control.createPartitions(image, CreatePartitionsRequest.newBuilder()
                .addTopics(PartitionCountChange.newBuilder().setName("t").setTotalCount(4)).build());
        assertEquals(2, grow.records().size());
        assertEquals(4, apply(image, grow.records()).topic("t").orElseThrow().partitions().size());
        var unknown = control.createPartitions(image, CreatePartitionsRequest.newBuilder()
                .addTopics(PartitionCountChange.newBuilder().setName("nope").setTotalCount(4)).build());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, unknown.response().getTopics(0).getErrorCode());
        assertTrue(unknown.records().isEmpty());
    }

    @Test
    void aTopicNamedTwiceInOneRequestIsRefusedTheSecondTime() {
        MetadataImage image = apply(oneBroker(), control.createTopics(oneBroker(), CreateTopicsRequest.newBuilder()
                .addTopics(NewTopic.newBuilder().setName("t").setNumPartitions(1)).build()).records());
        var deleted = control.deleteTopics(image, DeleteTopicsRequest.newBuilder()
                .addNames("t").addNames("t").build());
        assertEquals(1, deleted.records().size(), "one removal, which replays");
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, deleted.response().getTopics(1).getErrorCode());
        apply(image, deleted.records());
        var grown = control.createPartitions(image, CreatePartitionsRequest.newBuilder()
                .addTopics(PartitionCountChange.newBuilder().setName("t").setTotalCount(2))
                .addTopics(PartitionCountChange.newBuilder().setName("t").setTotalCount(3)).build());
        assertEquals(1, grown.records().size());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, grown.response().getTopics(1).getErrorCode());
    }
}
