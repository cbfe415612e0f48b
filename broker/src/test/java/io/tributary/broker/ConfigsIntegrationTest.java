package io.tributary.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.AlterConfigOp;
import io.tributary.proto.v1.AlterConfigOpType;
import io.tributary.proto.v1.AlterConfigsResource;
import io.tributary.proto.v1.AlterConfigsResult;
import io.tributary.proto.v1.ConfigEntry;
import io.tributary.proto.v1.ConfigResource;
import io.tributary.proto.v1.ConfigResourceType;
import io.tributary.proto.v1.ConfigSource;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.DescribeConfigsRequest;
import io.tributary.proto.v1.DescribeConfigsResource;
import io.tributary.proto.v1.DescribeConfigsResult;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.NewTopic;
import io.tributary.storage.LogConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DescribeConfigs and IncrementalAlterConfigs against one real node: recorded, applied to running partitions, kept. */
@Tag("integration")
class ConfigsIntegrationTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dataDir;
    private TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir, Map.of("log.retention.ms", "7200000"));
        node.admin().createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName("t")
                .setNumPartitions(1)).build());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> node.server().localReplica(TP).isPresent());
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static ConfigResource topic(String name) {
        return ConfigResource.newBuilder().setType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC).setName(name).build();
    }

    private static ConfigResource broker(String name) {
        return ConfigResource.newBuilder().setType(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER).setName(name)
                .build();
    }

    private static AlterConfigOp set(String key, String value) {
        return AlterConfigOp.newBuilder().setOp(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_SET).setName(key).setValue(value)
                .build();
    }

    private AlterConfigsResult alter(ConfigResource resource, boolean validateOnly, AlterConfigOp... ops) {
        return node.admin().incrementalAlterConfigs(IncrementalAlterConfigsRequest.newBuilder()
                .setValidateOnly(validateOnly).addResources(AlterConfigsResource.newBuilder().setResource(resource)
                        .addAllOps(java.util.List.of(ops))).build()).getResults(0);
    }

    private DescribeConfigsResult describe(ConfigResource resource) {
        return node.admin().describeConfigs(DescribeConfigsRequest.newBuilder().setIncludeSynonyms(true)
                .addResources(DescribeConfigsResource.newBuilder().setResource(resource)).build()).getResults(0);
    }

    private ConfigEntry entry(ConfigResource resource, String key) {
        return describe(resource).getConfigsList().stream().filter(e -> e.getName().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(key + " not described"));
    }

    private LogConfig partitionConfig() {
        return node.server().localReplica(TP).orElseThrow().log().config();
    }

    @Test
    void describesEveryTopicConfigWithItsSource() {
        DescribeConfigsResult described = describe(topic("t"));
        assertEquals(ErrorCode.ERROR_CODE_NONE, described.getErrorCode());
        assertEquals(LogConfig.CONFIG_DEF.keys().size(), described.getConfigsCount());
        ConfigEntry retention = entry(topic("t"), "retention.ms");
        assertEquals("7200000", retention.getValue());
        assertEquals(ConfigSource.CONFIG_SOURCE_STATIC_BROKER_CONFIG, retention.getSource());
        assertEquals("log.retention.ms", retention.getSynonyms(0).getName());
        assertEquals(ConfigSource.CONFIG_SOURCE_DEFAULT_CONFIG, entry(topic("t"), "segment.bytes").getSource());

        DescribeConfigsResult filtered = node.admin().describeConfigs(DescribeConfigsRequest.newBuilder()
                .addResources(DescribeConfigsResource.newBuilder().setResource(topic("t"))
                        .addConfigNames("cleanup.policy")).build()).getResults(0);
        assertEquals(1, filtered.getConfigsCount());
        assertEquals(0, filtered.getConfigs(0).getSynonymsCount(), "synonyms only when asked for");
    }

    @Test
    void topicChangesTakeEffectOnTheRunningPartition() {
        assertEquals(ErrorCode.ERROR_CODE_NONE, alter(topic("t"), false, set("retention.ms", "1000"),
                set("segment.bytes", "65536")).getErrorCode());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> partitionConfig().retentionMs() == 1000);
        assertEquals(65536, partitionConfig().segmentBytes());
        ConfigEntry retention = entry(topic("t"), "retention.ms");
        assertEquals(ConfigSource.CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG, retention.getSource());
        assertEquals("1000", retention.getValue());
        assertEquals(ConfigSource.CONFIG_SOURCE_STATIC_BROKER_CONFIG, retention.getSynonyms(1).getSource());
    }

    @Test
    void dynamicBrokerDefaultsApplyAtOnceRespectPrecedenceAndSurviveARestart() {
        assertEquals(ErrorCode.ERROR_CODE_NONE, alter(broker(""), false, set("log.segment.bytes", "131072"),
                set("log.retention.bytes", "999999")).getErrorCode());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> partitionConfig().segmentBytes() == 131072);
        assertEquals(999999, partitionConfig().retentionBytes());
        assertEquals(ConfigSource.CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG,
                entry(topic("t"), "segment.bytes").getSource());

        assertEquals(ErrorCode.ERROR_CODE_NONE, alter(broker("1"), false, set("log.segment.bytes", "262144"))
                .getErrorCode());
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> partitionConfig().segmentBytes() == 262144);
        ConfigEntry perBroker = entry(broker("1"), "log.segment.bytes");
        assertEquals(ConfigSource.CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG, perBroker.getSource());
        assertEquals(ConfigSource.CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG, perBroker.getSynonyms(1).getSource());
        assertFalse(perBroker.getReadOnly());
        assertTrue(entry(broker("1"), "log.dirs").getReadOnly());
        assertEquals(ConfigSource.CONFIG_SOURCE_STATIC_BROKER_CONFIG, entry(broker("1"), "log.dirs").getSource());
        assertEquals(2, describe(broker("")).getConfigsCount(), "the default shows only what is set dynamically");

        node.restart();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> node.server().localReplica(TP).isPresent());
        assertEquals(262144, partitionConfig().segmentBytes());
        assertEquals(999999, partitionConfig().retentionBytes());
        assertEquals("262144", entry(topic("t"), "segment.bytes").getValue());
    }

    @Test
    void refusedChangesNameTheProblemAndChangeNothing() {
        AlterConfigsResult readOnly = alter(broker("1"), false, set("log.dirs", "/elsewhere"));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, readOnly.getErrorCode());
        assertEquals("Cannot update these configs dynamically: [log.dirs]", readOnly.getErrorMessage());
        AlterConfigsResult badValue = alter(topic("t"), false, set("retention.ms", "soon"));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG, badValue.getErrorCode());
        assertTrue(badValue.getErrorMessage().contains("retention.ms"), badValue.getErrorMessage());
        assertEquals(ErrorCode.ERROR_CODE_BROKER_ID_NOT_REGISTERED,
                alter(broker("9"), false, set("log.retention.ms", "1")).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                alter(topic("missing"), false, set("retention.ms", "1")).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NONE, alter(topic("t"), true, set("retention.ms", "1000")).getErrorCode());

        assertEquals(ConfigSource.CONFIG_SOURCE_STATIC_BROKER_CONFIG, entry(topic("t"), "retention.ms").getSource());
        assertEquals(7200000, partitionConfig().retentionMs());
        assertEquals(ErrorCode.ERROR_CODE_BROKER_ID_NOT_REGISTERED, describe(broker("9")).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, describe(topic("missing")).getErrorCode());
    }

    @Test
    void brokerIdsSpelledOtherwiseThanBrokersWriteThemAreRefusedNamingTheName() {
        for (String name : new String[] {"01", "+1"}) {
            AlterConfigsResult altered = alter(broker(name), false, set("log.retention.ms", "1"));
            assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, altered.getErrorCode(), altered.getErrorMessage());
            assertTrue(altered.getErrorMessage().contains("'" + name + "'"), altered.getErrorMessage());
            DescribeConfigsResult described = describe(broker(name));
            assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, described.getErrorCode(), described.getErrorMessage());
            assertTrue(described.getErrorMessage().contains("'" + name + "'"), described.getErrorMessage());
        }
        assertEquals(ConfigSource.CONFIG_SOURCE_STATIC_BROKER_CONFIG, entry(broker("1"), "log.retention.ms")
                .getSource());
    }

    @Test
    void malformedRequestsAreInvalidArgument() {
        StatusRuntimeException empty = assertThrows(StatusRuntimeException.class, () ->
                node.admin().describeConfigs(DescribeConfigsRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
        StatusRuntimeException twice = assertThrows(StatusRuntimeException.class, () ->
                node.admin().incrementalAlterConfigs(IncrementalAlterConfigsRequest.newBuilder()
                        .addResources(AlterConfigsResource.newBuilder().setResource(topic("t")))
                        .addResources(AlterConfigsResource.newBuilder().setResource(topic("t"))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, twice.getStatus().getCode());
        assertTrue(twice.getStatus().getDescription().contains("more than once"), twice.getStatus().getDescription());
        StatusRuntimeException untyped = assertThrows(StatusRuntimeException.class, () ->
                node.admin().describeConfigs(DescribeConfigsRequest.newBuilder().addResources(DescribeConfigsResource
                        .newBuilder().setResource(ConfigResource.newBuilder().setName("t"))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, untyped.getStatus().getCode());
    }
}
