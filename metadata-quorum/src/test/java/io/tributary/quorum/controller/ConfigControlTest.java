package io.tributary.quorum.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.config.ConfigDef;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import io.tributary.proto.v1.AlterConfigOp;
import io.tributary.proto.v1.AlterConfigOpType;
import io.tributary.proto.v1.AlterConfigsResource;
import io.tributary.proto.v1.AlterConfigsResult;
import io.tributary.proto.v1.ConfigResource;
import io.tributary.proto.v1.ConfigResourceType;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.IncrementalAlterConfigsResponse;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The controller's config logic as a pure function of (image, request): records plus response. */
@Tag("unit")
class ConfigControlTest {

    /** A stand-in for the broker's definition: the dynamic keys plus one read-only key. */
    private static final ConfigDef BROKER_DEF = new ConfigDef()
            .define("log.retention.ms", ConfigDef.Type.LONG, "604800000", ConfigDef.atLeast(-1), "")
            .define("log.segment.bytes", ConfigDef.Type.INT, "1073741824", ConfigDef.atLeast(14), "")
            .define("log.cleanup.policy", ConfigDef.Type.LIST, "delete", ConfigDef.oneOf("delete", "compact"), "")
            .define("min.insync.replicas", ConfigDef.Type.INT, "1", ConfigDef.atLeast(1), "")
            .define("unclean.leader.election.enable", ConfigDef.Type.BOOLEAN, "false", "")
            .define("log.dirs", ConfigDef.Type.LIST, "./data", "");

    private final ConfigControl control = new ConfigControl(Map.of("retention.ms", "1000"), BROKER_DEF);

    private static MetadataImage cluster() {
        MetadataImage image = Images.brokers(List.of(1, 2), List.of());
        return Images.apply(image, List.of(topic("t", "id-t"), topic("__consumer_offsets", "id-o"),
                config(io.tributary.proto.metadata.v1.ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC,
                        "__consumer_offsets", "cleanup.policy", "compact")));
    }

    private static MetadataRecord topic(String name, String id) {
        return MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name).setTopicId(id)).build();
    }

    private static MetadataRecord config(io.tributary.proto.metadata.v1.ConfigResourceType type, String name,
                                         String key, String value) {
        return MetadataRecord.newBuilder().setConfig(io.tributary.proto.metadata.v1.ConfigRecord.newBuilder()
                .setResourceType(type).setResourceName(name).setName(key).setValue(value)).build();
    }

    private static AlterConfigOp op(AlterConfigOpType type, String key, String value) {
        AlterConfigOp.Builder op = AlterConfigOp.newBuilder().setOp(type).setName(key);
        if (value != null) {
            op.setValue(value);
        }
        return op.build();
    }

    private static AlterConfigOp set(String key, String value) {
        return op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_SET, key, value);
    }

    private static AlterConfigsResource resource(ConfigResourceType type, String name, AlterConfigOp... ops) {
        return AlterConfigsResource.newBuilder().setResource(ConfigResource.newBuilder().setType(type).setName(name))
                .addAllOps(List.of(ops)).build();
    }

    private static AlterConfigsResource topicOps(String name, AlterConfigOp... ops) {
        return resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, name, ops);
    }

    private static AlterConfigsResource brokerOps(String name, AlterConfigOp... ops) {
        return resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, name, ops);
    }

    private ControllerResult<IncrementalAlterConfigsResponse> alter(MetadataImage image, boolean validateOnly,
                                                                    AlterConfigsResource... resources) {
        return control.incrementalAlterConfigs(image, IncrementalAlterConfigsRequest.newBuilder()
                .addAllResources(List.of(resources)).setValidateOnly(validateOnly).build());
    }

    private AlterConfigsResult refused(AlterConfigsResource resource, ErrorCode expected) {
        var result = alter(cluster(), false, resource);
        assertEquals(expected, result.response().getResults(0).getErrorCode(),
                result.response().getResults(0).getErrorMessage());
        assertTrue(result.records().isEmpty(), "a refused change writes nothing");
        return result.response().getResults(0);
    }

    @Test
    void setAndDeleteOnATopicBecomeRecordsThatReplayIntoTheImage() {
        MetadataImage image = cluster();
        var result = alter(image, false, topicOps("t", set("retention.ms", "5000"), set("segment.bytes", "2048")));
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.response().getResults(0).getErrorCode());
        assertEquals(2, result.records().size());
        assertTrue(image.topic("t").orElseThrow().configs().isEmpty(), "nothing changes until replayed");
        MetadataImage after = Images.apply(image, result.records());
        assertEquals(Map.of("retention.ms", "5000", "segment.bytes", "2048"), after.topic("t").orElseThrow().configs());

        var deleted = alter(after, false, topicOps("t", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_DELETE,
                "retention.ms", null)));
        MetadataImage later = Images.apply(after, deleted.records());
        assertEquals(Map.of("segment.bytes", "2048"), later.topic("t").orElseThrow().configs());
    }

    @Test
    void validateOnlyAnswersButWritesNothing() {
        var result = alter(cluster(), true, topicOps("t", set("retention.ms", "5000")));
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.response().getResults(0).getErrorCode());
        assertTrue(result.records().isEmpty());
    }

    @Test
    void appendAndSubtractWorkOnListsStartingFromTheTopicsOwnOrTheDefaultValue() {
        MetadataImage image = cluster();
        var appended = alter(image, false, topicOps("t", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_APPEND,
                "cleanup.policy", "compact")));
        image = Images.apply(image, appended.records());
        assertEquals("delete,compact", image.topic("t").orElseThrow().configs().get("cleanup.policy"));
        var subtracted = alter(image, false, topicOps("t", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_SUBTRACT,
                "cleanup.policy", "delete")));
        image = Images.apply(image, subtracted.records());
        assertEquals("compact", image.topic("t").orElseThrow().configs().get("cleanup.policy"));
    }

    @Test
    void unknownKeyBadValueAndNonListAppendAreInvalidConfigNamingTheKey() {
        String unknown = refused(topicOps("t", set("retention.hours", "1")), ErrorCode.ERROR_CODE_INVALID_CONFIG)
                .getErrorMessage();
        assertTrue(unknown.contains("retention.hours"), unknown);
        String bad = refused(topicOps("t", set("retention.ms", "soon")), ErrorCode.ERROR_CODE_INVALID_CONFIG)
                .getErrorMessage();
        assertTrue(bad.contains("retention.ms") && bad.contains("soon"), bad);
        String range = refused(topicOps("t", set("min.insync.replicas", "0")), ErrorCode.ERROR_CODE_INVALID_CONFIG)
                .getErrorMessage();
        assertTrue(range.contains("min.insync.replicas") && range.contains("'0'"), range);
        String notList = refused(topicOps("t", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_APPEND, "retention.ms", "1")),
                ErrorCode.ERROR_CODE_INVALID_CONFIG).getErrorMessage();
        assertTrue(notList.contains("not a list"), notList);
    }

    @Test
    void oneBadOpFailsItsWholeResourceButNotTheOthers() {
        var result = alter(cluster(), false, topicOps("t", set("retention.ms", "5"), set("segment.bytes", "x")),
                topicOps("__consumer_offsets", set("retention.ms", "5")));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG, result.response().getResults(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.response().getResults(1).getErrorCode());
        assertEquals(1, result.records().size(), "only the good resource's change");
        assertEquals("__consumer_offsets", result.records().get(0).getConfig().getResourceName());
    }

    @Test
    void unknownTopicDuplicateKeysAndMissingValuesAreRefused() {
        refused(topicOps("missing", set("retention.ms", "5")), ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
        refused(topicOps("t", set("retention.ms", "5"), set("retention.ms", "6")), ErrorCode.ERROR_CODE_INVALID_REQUEST);
        refused(topicOps("t", set("retention.ms", null)), ErrorCode.ERROR_CODE_INVALID_REQUEST);
        refused(topicOps("t", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_UNSPECIFIED, "retention.ms", "5")),
                ErrorCode.ERROR_CODE_INVALID_REQUEST);
        var duplicate = alter(cluster(), false, topicOps("t", set("retention.ms", "5")),
                topicOps("t", set("retention.ms", "6")));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, duplicate.response().getResults(1).getErrorCode());
    }

    @Test
    void consumerOffsetsKeepsCompaction() {
        String message = refused(topicOps("__consumer_offsets", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_DELETE,
                "cleanup.policy", null)), ErrorCode.ERROR_CODE_INVALID_CONFIG).getErrorMessage();
        assertTrue(message.contains("compact"), message);
        refused(topicOps("__consumer_offsets", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_SUBTRACT, "cleanup.policy",
                "compact")), ErrorCode.ERROR_CODE_INVALID_CONFIG);
        var appended = alter(cluster(), false, topicOps("__consumer_offsets",
                op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_APPEND, "cleanup.policy", "delete")));
        assertEquals(ErrorCode.ERROR_CODE_NONE, appended.response().getResults(0).getErrorCode());
    }

    @Test
    void consumerOffsetsNeedsItsOwnCompactPolicyWhateverTheLevelsBelowSay() {
        MetadataImage compactDefault = Images.apply(cluster(), List.of(config(
                io.tributary.proto.metadata.v1.ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, "",
                "log.cleanup.policy", "compact")));
        AlterConfigOp delete = op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_DELETE, "cleanup.policy", null);
        var deleted = alter(compactDefault, false, topicOps("__consumer_offsets", delete));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG, deleted.response().getResults(0).getErrorCode());
        assertTrue(deleted.response().getResults(0).getErrorMessage().contains("unset at topic level"),
                deleted.response().getResults(0).getErrorMessage());
        assertTrue(deleted.records().isEmpty());

        ConfigControl compactStatic = new ConfigControl(Map.of("cleanup.policy", "compact"), BROKER_DEF);
        var staticDeleted = compactStatic.incrementalAlterConfigs(cluster(), IncrementalAlterConfigsRequest
                .newBuilder().addResources(topicOps("__consumer_offsets", delete)).build());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG, staticDeleted.response().getResults(0).getErrorCode());

        String setDelete = refused(topicOps("__consumer_offsets", set("cleanup.policy", "delete")),
                ErrorCode.ERROR_CODE_INVALID_CONFIG).getErrorMessage();
        assertTrue(setDelete.contains("'delete'"), setDelete);
        refused(topicOps("__consumer_offsets", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_SUBTRACT, "cleanup.policy",
                "compact,delete")), ErrorCode.ERROR_CODE_INVALID_CONFIG);
    }

    @Test
    void consumerOffsetsWithoutATopicLevelPolicyTakesOnlyChangesThatSetOne() {
        MetadataImage unset = Images.brokers(List.of(1), List.of());
        unset = Images.apply(unset, List.of(topic("__consumer_offsets", "id-o")));
        var retentionOnly = alter(unset, false, topicOps("__consumer_offsets", set("retention.ms", "5")));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG, retentionOnly.response().getResults(0).getErrorCode());
        var withPolicy = alter(unset, false, topicOps("__consumer_offsets", set("retention.ms", "5"),
                set("cleanup.policy", "compact")));
        assertEquals(ErrorCode.ERROR_CODE_NONE, withPolicy.response().getResults(0).getErrorCode(),
                withPolicy.response().getResults(0).getErrorMessage());
    }

    @Test
    void dynamicBrokerConfigsPerBrokerAndClusterDefaultSurviveASnapshot() {
        MetadataImage image = cluster();
        var result = alter(image, false, brokerOps("", set("log.retention.ms", "60000")),
                brokerOps("2", set("log.segment.bytes", "4096"), op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_APPEND,
                        "log.cleanup.policy", "compact")));
        result.response().getResultsList().forEach(r -> assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(),
                r.getErrorMessage()));
        MetadataImage after = Images.apply(image, result.records());
        assertEquals(Map.of("log.retention.ms", "60000"), after.brokerConfigs(""));
        assertEquals(Map.of("log.segment.bytes", "4096", "log.cleanup.policy", "delete,compact"),
                after.brokerConfigs("2"));
        assertEquals(after, MetadataSnapshot.deserialize(MetadataSnapshot.serialize(after), after.lastOffset()));

        var cleared = alter(after, false, brokerOps("", op(AlterConfigOpType.ALTER_CONFIG_OP_TYPE_DELETE,
                "log.retention.ms", null)));
        MetadataImage later = Images.apply(after, cleared.records());
        assertFalse(later.brokerConfigs().containsKey(""), "a resource without keys disappears");
    }

    @Test
    void readOnlyUnknownAndBadBrokerKeysAreRefusedNamingTheKey() {
        String readOnly = refused(brokerOps("1", set("log.dirs", "/tmp/x")), ErrorCode.ERROR_CODE_INVALID_REQUEST)
                .getErrorMessage();
        assertEquals("Cannot update these configs dynamically: [log.dirs]", readOnly);
        refused(brokerOps("", set("unclean.leader.election.enable", "true")), ErrorCode.ERROR_CODE_INVALID_REQUEST);
        String unknown = refused(brokerOps("", set("log.retention.hours", "1")), ErrorCode.ERROR_CODE_INVALID_CONFIG)
                .getErrorMessage();
        assertTrue(unknown.contains("log.retention.hours"), unknown);
        String bad = refused(brokerOps("1", set("log.segment.bytes", "10")), ErrorCode.ERROR_CODE_INVALID_CONFIG)
                .getErrorMessage();
        assertTrue(bad.contains("log.segment.bytes") && bad.contains("'10'"), bad);
    }

    @Test
    void unknownBrokerIdsAndMalformedNamesAreRefused() {
        String unknown = refused(brokerOps("9", set("log.retention.ms", "1")),
                ErrorCode.ERROR_CODE_BROKER_ID_NOT_REGISTERED).getErrorMessage();
        assertTrue(unknown.contains("broker 9"), unknown);
        refused(brokerOps("one", set("log.retention.ms", "1")), ErrorCode.ERROR_CODE_INVALID_REQUEST);
        for (String name : List.of("01", "+1", "002")) {
            String message = refused(brokerOps(name, set("log.retention.ms", "1")),
                    ErrorCode.ERROR_CODE_INVALID_REQUEST).getErrorMessage();
            assertTrue(message.contains("'" + name + "'"), message);
        }
        refused(resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_UNSPECIFIED, "t", set("retention.ms", "1")),
                ErrorCode.ERROR_CODE_INVALID_REQUEST);
    }
}
