package io.tributary.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tributary.proto.v1.CreatePartitionsRequest;
import io.tributary.proto.v1.CreateTopicResult;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.DescribeTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.ListTopicsRequest;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionCountChange;
import io.tributary.proto.v1.TopicDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class TopicAdminIntegrationTest {

    @TempDir
    Path dataDir;
    private TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private CreateTopicResult create(NewTopic.Builder topic) {
        return node.admin().createTopics(CreateTopicsRequest.newBuilder().addTopics(topic).build()).getTopics(0);
    }

    private static void assertError(CreateTopicResult result, ErrorCode code, String fragment) {
        assertEquals(code, result.getErrorCode(), result.toString());
        assertTrue(result.getErrorMessage().contains(fragment), result.getErrorMessage());
    }

    @Test
    void createsDescribesAndListsATopicWithItsConfigs() {
        CreateTopicResult created = create(NewTopic.newBuilder().setName("orders").setNumPartitions(3)
                .putConfigs("retention.ms", "3600000"));
        assertEquals(ErrorCode.ERROR_CODE_NONE, created.getErrorCode());
        assertEquals(3, created.getNumPartitions());
        assertEquals(1, created.getReplicationFactor());

        TopicDescription described = node.admin().describeTopics(DescribeTopicsRequest.newBuilder()
                .addNames("orders").build()).getTopics(0);
        assertEquals(created.getTopicId(), described.getTopicId());
        assertEquals(3, described.getPartitionsCount());
        assertEquals(Map.of("retention.ms", "3600000"), described.getConfigsMap());
        assertEquals(1, described.getPartitions(0).getLeaderId());
        assertEquals(0, described.getPartitions(0).getHighWatermark());

        assertEquals("orders", node.admin().listTopics(ListTopicsRequest.getDefaultInstance()).getTopics(0).getName());
        MetadataResponse metadata = node.cluster().metadata(MetadataRequest.getDefaultInstance());
        assertEquals(1, metadata.getBrokersCount());
        assertEquals(node.port(), metadata.getBrokers(0).getPort());
        assertTrue(Files.isDirectory(dataDir.resolve("orders-2")));
    }

    @Test
    void badRequestsGetClearPerTopicErrors() {
        assertError(create(NewTopic.newBuilder().setName("bad name")), ErrorCode.ERROR_CODE_INVALID_TOPIC, "characters");
        assertError(create(NewTopic.newBuilder().setName("")), ErrorCode.ERROR_CODE_INVALID_TOPIC, "empty");
        assertError(create(NewTopic.newBuilder().setName("__internal")), ErrorCode.ERROR_CODE_INVALID_TOPIC, "reserved");
        assertError(create(NewTopic.newBuilder().setName("zero").setNumPartitions(0)),
                ErrorCode.ERROR_CODE_INVALID_PARTITIONS, "at least 1");
        assertError(create(NewTopic.newBuilder().setName("rf").setReplicationFactor(3)),
                ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR, "exceeds the 1 available");
        assertError(create(NewTopic.newBuilder().setName("cfg").putConfigs("retention.msx", "1")),
                ErrorCode.ERROR_CODE_INVALID_CONFIG, "retention.msx");
        assertError(create(NewTopic.newBuilder().setName("cfg").putConfigs("segment.bytes", "tiny")),
                ErrorCode.ERROR_CODE_INVALID_CONFIG, "segment.bytes");

        assertEquals(ErrorCode.ERROR_CODE_NONE, create(NewTopic.newBuilder().setName("a.b")).getErrorCode());
        assertError(create(NewTopic.newBuilder().setName("a.b")), ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS, "already");
        assertError(create(NewTopic.newBuilder().setName("a_b")), ErrorCode.ERROR_CODE_INVALID_TOPIC, "collides");
        assertEquals(1, node.admin().listTopics(ListTopicsRequest.getDefaultInstance()).getTopicsCount());
    }

    @Test
    void requestLevelMistakesAreInvalidArgument() {
        StatusRuntimeException duplicate = assertThrows(StatusRuntimeException.class, () -> node.admin()
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName("x"))
                        .addTopics(NewTopic.newBuilder().setName("x")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, duplicate.getStatus().getCode());
        assertTrue(duplicate.getStatus().getDescription().contains("more than once"));
        StatusRuntimeException empty = assertThrows(StatusRuntimeException.class,
                () -> node.admin().createTopics(CreateTopicsRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
    }

    @Test
    void validateOnlyCreatesNothing() {
        CreateTopicResult result = node.admin().createTopics(CreateTopicsRequest.newBuilder().setValidateOnly(true)
                .addTopics(NewTopic.newBuilder().setName("dry")).build()).getTopics(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode());
        assertEquals(0, node.admin().listTopics(ListTopicsRequest.getDefaultInstance()).getTopicsCount());
    }

    @Test
    void deletesTopicsAndTheirData() {
        node.createTopic("gone", 2, Map.of());
        assertEquals(ErrorCode.ERROR_CODE_NONE, node.admin().deleteTopics(DeleteTopicsRequest.newBuilder()
                .addNames("gone").build()).getTopics(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, node.admin().deleteTopics(
                DeleteTopicsRequest.newBuilder().addNames("gone").build()).getTopics(0).getErrorCode());
        assertTrue(Files.notExists(dataDir.resolve("gone-0")));
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, node.cluster().metadata(
                MetadataRequest.newBuilder().addTopics("gone").build()).getTopics(0).getErrorCode());
        node.createTopic("gone", 1, Map.of());
    }

    @Test
    void partitionsCanGrowButNeverShrink() {
        node.createTopic("grow", 2, Map.of());
        assertEquals(ErrorCode.ERROR_CODE_NONE, node.admin().createPartitions(CreatePartitionsRequest.newBuilder()
                .addTopics(PartitionCountChange.newBuilder().setName("grow").setTotalCount(5)).build())
                .getTopics(0).getErrorCode());
        var shrink = node.admin().createPartitions(CreatePartitionsRequest.newBuilder()
                .addTopics(PartitionCountChange.newBuilder().setName("grow").setTotalCount(3)).build()).getTopics(0);
        assertEquals(ErrorCode.ERROR_CODE_INVALID_PARTITIONS, shrink.getErrorCode());
        assertTrue(shrink.getErrorMessage().contains("has 5 partitions"), shrink.getErrorMessage());
        assertEquals(5, node.admin().describeTopics(DescribeTopicsRequest.newBuilder().addNames("grow").build())
                .getTopics(0).getPartitionsCount());
    }

    @Test
    void aggressiveBrokerRetentionNeverAppliesToTheMetadataLog() throws Exception {
        node.close();
        Path dir = dataDir.resolve("tiny");
        node = new TestNode(dir, Map.of("log.retention.ms", "50", "log.roll.ms", "1",
                "log.retention.check.interval.ms", "20", "log.segment.delete.delay.ms", "0"));
        node.createTopic("first", 1, Map.of());
        node.restart();
        node.createTopic("witness", 1, Map.of());
        long old = System.currentTimeMillis() - 3_600_000;
        for (int i = 0; i < 5; i++) {
            node.produce().produce(io.tributary.proto.v1.ProduceRequest.newBuilder().addPartitions(
                    io.tributary.proto.v1.PartitionProduceData.newBuilder().setTopic("witness").setPartition(0)
                            .setRecords(io.tributary.proto.v1.RecordList.newBuilder().addRecords(
                                    io.tributary.proto.v1.Record.newBuilder().setTimestampMs(old + 10L * i)))).build());
        }
        // Once retention has emptied the witness topic, it has also had every chance to touch the metadata log.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.list(dir.resolve("witness-0"))) {
                return files.filter(f -> f.toString().endsWith(".log")).count() == 1;
            }
        });
        node.restart();
        assertEquals(ErrorCode.ERROR_CODE_NONE, node.admin().describeTopics(DescribeTopicsRequest.newBuilder()
                .addNames("first").build()).getTopics(0).getErrorCode(),
                "the topic must survive: the metadata log is never subject to retention");
        assertTrue(Files.isDirectory(dir.resolve("first-0")));
    }

    @Test
    void topicsSurviveARestartThroughTheMetadataLog() {
        String id = node.createTopic("durable", 4, Map.of("segment.bytes", "4096")).getTopicId();
        node.admin().deleteTopics(DeleteTopicsRequest.newBuilder().addNames("durable").build());
        String id2 = node.createTopic("durable", 2, Map.of()).getTopicId();
        node.restart();
        TopicDescription described = node.admin().describeTopics(DescribeTopicsRequest.newBuilder()
                .addNames("durable").build()).getTopics(0);
        assertEquals(id2, described.getTopicId());
        assertTrue(!id.equals(id2));
        assertEquals(2, described.getPartitionsCount());
        assertEquals(Map.of(), described.getConfigsMap());
    }
}
