package io.tributary.quorum.controller;

import static io.tributary.proto.metadata.v1.ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER;
import static io.tributary.proto.metadata.v1.ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC;

import io.tributary.common.config.ConfigDef;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.BrokerIdNotRegisteredException;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.metadata.v1.ConfigRecord;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.v1.AlterConfigOp;
import io.tributary.proto.v1.AlterConfigOpType;
import io.tributary.proto.v1.AlterConfigsResource;
import io.tributary.proto.v1.AlterConfigsResult;
import io.tributary.proto.v1.ConfigResource;
import io.tributary.proto.v1.ConfigResourceType;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.IncrementalAlterConfigsRequest;
import io.tributary.proto.v1.IncrementalAlterConfigsResponse;
import io.tributary.quorum.image.DynamicBrokerConfigs;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.TopicImage;
import io.tributary.storage.LogConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Validates IncrementalAlterConfigs requests against a metadata image and turns them into
 * ConfigRecords plus a response (Kafka semantics: per resource a list of SET / DELETE / APPEND /
 * SUBTRACT ops, all applied or none). Each resource succeeds or fails on its own; the records of
 * every resource that succeeds are returned together, so they commit as one entry. Pure: nothing
 * changes until the records are committed and replayed.
 *
 * <p>Topic resources accept every topic-level key {@link LogConfig} defines. Broker resources (a
 * registered broker id, or "" for the cluster-wide default) accept the dynamic broker keys of
 * {@link DynamicBrokerConfigs}; every other key of the broker config definition is read-only. A
 * broker id must be written as brokers write their own ({@code Integer.toString}), or the configs
 * stored under it would never be found. {@code __consumer_offsets} must keep a topic-level
 * cleanup.policy that includes compact.
 */
public final class ConfigControl {

    /** The group coordinator's topic, which must stay compacted. */
    static final String OFFSETS_TOPIC = "__consumer_offsets";

    private final Map<String, String> staticTopicDefaults;
    private final ConfigDef brokerConfigDef;

    /**
     * @param staticTopicDefaults this controller's static topic-config defaults (topic key names),
     *                            the base every merged config is validated on
     * @param brokerConfigDef     every broker key, to tell unknown keys from read-only ones
     */
    public ConfigControl(Map<String, String> staticTopicDefaults, ConfigDef brokerConfigDef) {
        this.staticTopicDefaults = Map.copyOf(staticTopicDefaults);
        this.brokerConfigDef = brokerConfigDef;
    }

    public ControllerResult<IncrementalAlterConfigsResponse> incrementalAlterConfigs(
            MetadataImage image, IncrementalAlterConfigsRequest request) {
        List<MetadataRecord> records = new ArrayList<>();
        IncrementalAlterConfigsResponse.Builder response = IncrementalAlterConfigsResponse.newBuilder();
        Set<ConfigResource> seen = new HashSet<>();
        for (AlterConfigsResource resource : request.getResourcesList()) {
            AlterConfigsResult.Builder result = AlterConfigsResult.newBuilder().setResource(resource.getResource());
            try {
                if (!seen.add(resource.getResource())) {
                    throw new InvalidRequestException(describe(resource.getResource()) + " is named more than once");
                }
                List<MetadataRecord> changes = switch (resource.getResource().getType()) {
                    case CONFIG_RESOURCE_TYPE_TOPIC -> alterTopic(image, resource);
                    case CONFIG_RESOURCE_TYPE_BROKER -> alterBroker(image, resource);
                    default -> throw new InvalidRequestException("resource '" + resource.getResource().getName()
                            + "' has no type: use CONFIG_RESOURCE_TYPE_TOPIC or CONFIG_RESOURCE_TYPE_BROKER");
                };
                if (!request.getValidateOnly()) {
                    records.addAll(changes);
                }
                result.setErrorCode(ErrorCode.ERROR_CODE_NONE);
            } catch (ApiException e) {
                result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
            }
            response.addResults(result);
        }
        return new ControllerResult<>(records, response.build());
    }

    private List<MetadataRecord> alterTopic(MetadataImage image, AlterConfigsResource resource) {
        String name = resource.getResource().getName();
        TopicImage topic = image.topic(name).orElseThrow(() ->
                new UnknownTopicOrPartitionException("topic '" + name + "' does not exist"));
        Map<String, String> below = new HashMap<>(staticTopicDefaults);
        DynamicBrokerConfigs.overlay(below, image.brokerConfigs(MetadataImage.CLUSTER_DEFAULT));
        Map<String, String> updated = applyOps(topic.configs(), below, resource.getOpsList(), key -> {
            if (!LogConfig.CONFIG_DEF.contains(key)) {
                throw new InvalidConfigurationException("unknown topic config '" + key + "' for topic '" + name + "'");
            }
            return LogConfig.CONFIG_DEF;
        }, "topic '" + name + "'");
        if (name.equals(OFFSETS_TOPIC)) {
            requireCompactedOffsetsTopic(updated.get(LogConfig.CLEANUP_POLICY_CONFIG));
        }
        Map<String, String> effective = new HashMap<>(below);
        effective.putAll(updated);
        LogConfig.fromProperties(effective);
        return records(ConfigRecord.newBuilder().setResourceType(CONFIG_RESOURCE_TYPE_TOPIC).setResourceName(name),
                topic.configs(), updated);
    }

    /**
     * The group coordinator's topic keeps its own topic-level cleanup.policy including compact: an
     * effective value that only inherits compact from a broker-level default would silently turn
     * into delete-only when that default changes, and group offsets would be deleted by retention.
     */
    private static void requireCompactedOffsetsTopic(String topicLevelPolicy) {
        if (topicLevelPolicy == null || !items(topicLevelPolicy).contains(LogConfig.CLEANUP_POLICY_COMPACT)) {
            throw new InvalidConfigurationException("cleanup.policy of internal topic '" + OFFSETS_TOPIC + "' must be "
                    + "set on the topic and include compact (consumer group offsets rely on it); it would become "
                    + (topicLevelPolicy == null ? "unset at topic level" : "'" + topicLevelPolicy + "'"));
        }
    }

    private List<MetadataRecord> alterBroker(MetadataImage image, AlterConfigsResource resource) {
        String name = resource.getResource().getName();
        boolean clusterDefault = name.equals(MetadataImage.CLUSTER_DEFAULT);
        if (!clusterDefault) {
            requireRegisteredBroker(image, name);
        }
        Set<String> readOnly = new TreeSet<>();
        for (AlterConfigOp op : resource.getOpsList()) {
            if (!brokerConfigDef.contains(op.getName())) {
                throw new InvalidConfigurationException("unknown broker config '" + op.getName() + "'");
            }
            if (!DynamicBrokerConfigs.DYNAMIC_BROKER_KEYS.contains(op.getName())) {
                readOnly.add(op.getName());
            }
        }
        if (!readOnly.isEmpty()) {
            throw new InvalidRequestException("Cannot update these configs dynamically: " + readOnly);
        }
        Map<String, String> below = new HashMap<>();
        DynamicBrokerConfigs.TOPIC_KEY_BY_BROKER_KEY.forEach((brokerKey, topicKey) ->
                below.put(brokerKey, staticTopicDefaults.get(topicKey)));
        below.values().removeIf(Objects::isNull);
        if (!clusterDefault) {
            below.putAll(image.brokerConfigs(MetadataImage.CLUSTER_DEFAULT));
        }
        Map<String, String> current = image.brokerConfigs(name);
        Map<String, String> updated = applyOps(current, below, resource.getOpsList(), key -> brokerConfigDef,
                clusterDefault ? "the cluster-wide broker default" : "broker " + name);
        Map<String, String> effective = new HashMap<>(staticTopicDefaults);
        DynamicBrokerConfigs.overlay(effective, clusterDefault ? updated
                : image.brokerConfigs(MetadataImage.CLUSTER_DEFAULT));
        if (!clusterDefault) {
            DynamicBrokerConfigs.overlay(effective, updated);
        }
        LogConfig.fromProperties(effective);
        return records(ConfigRecord.newBuilder().setResourceType(CONFIG_RESOURCE_TYPE_BROKER).setResourceName(name),
                current, updated);
    }

    private static void requireRegisteredBroker(MetadataImage image, String name) {
        int id = DynamicBrokerConfigs.brokerId(name);
        if (image.broker(id).isEmpty()) {
            throw new BrokerIdNotRegisteredException("broker " + id + " is not registered (registered brokers: "
                    + image.brokers().keySet() + ")");
        }
    }

    /**
     * The configs of one resource after its ops.
     *
     * @param below     the values lower levels give, the base of APPEND and SUBTRACT on unset keys
     * @param definer   the definition of a key, or throws for an unknown one
     * @param resource  names the resource in errors
     */
    private static Map<String, String> applyOps(Map<String, String> current, Map<String, String> below,
                                                List<AlterConfigOp> ops, Function<String, ConfigDef> definer,
                                                String resource) {
        Map<String, String> updated = new HashMap<>(current);
        Set<String> keys = new HashSet<>();
        for (AlterConfigOp op : ops) {
            String key = op.getName();
            if (!keys.add(key)) {
                throw new InvalidRequestException("config '" + key + "' is changed more than once for " + resource);
            }
            ConfigDef definition = definer.apply(key);
            if (op.getOp() == AlterConfigOpType.ALTER_CONFIG_OP_TYPE_DELETE) {
                updated.remove(key);
                continue;
            }
            if (op.getOp() == AlterConfigOpType.ALTER_CONFIG_OP_TYPE_UNSPECIFIED || !op.hasValue()) {
                throw new InvalidRequestException("the change of config '" + key + "' for " + resource + " has "
                        + (op.hasValue() ? "no op: use SET, DELETE, APPEND or SUBTRACT" : "no value"));
            }
            String value = op.getOp() == AlterConfigOpType.ALTER_CONFIG_OP_TYPE_SET ? op.getValue()
                    : listOp(op, definition, updated.getOrDefault(key, below.getOrDefault(key,
                            builtInDefault(definition, key))));
            try {
                definition.parseOne(key, value);
            } catch (InvalidConfigurationException e) {
                throw new InvalidConfigurationException("invalid value '" + value + "' for config '" + key + "' of "
                        + resource + ": " + e.getMessage());
            }
            updated.put(key, value);
        }
        return updated;
    }

    private static String builtInDefault(ConfigDef definition, String key) {
        return definition.keys().stream().filter(k -> k.name().equals(key)).findFirst()
                .map(k -> k.defaultValue() instanceof List<?> list ? String.join(",", list.stream()
                        .map(String::valueOf).toList()) : String.valueOf(k.defaultValue()))
                .orElse("");
    }

    /** The list {@code base} with APPEND's items added (once) or SUBTRACT's removed. */
    private static String listOp(AlterConfigOp op, ConfigDef definition, String base) {
        String key = op.getName();
        boolean list = definition.keys().stream()
                .anyMatch(k -> k.name().equals(key) && k.type() == ConfigDef.Type.LIST);
        if (!list) {
            throw new InvalidConfigurationException("config '" + key + "' is not a list: "
                    + op.getOp().name().substring("ALTER_CONFIG_OP_TYPE_".length())
                    + " applies only to list configs such as cleanup.policy; use SET");
        }
        Set<String> items = new LinkedHashSet<>(items(base));
        if (op.getOp() == AlterConfigOpType.ALTER_CONFIG_OP_TYPE_APPEND) {
            items.addAll(items(op.getValue()));
        } else {
            items.removeAll(items(op.getValue()));
        }
        return String.join(",", items);
    }

    private static List<String> items(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A record per key whose value changed, sorted by key; {@code resource} names the resource of each. */
    private static List<MetadataRecord> records(ConfigRecord.Builder resource, Map<String, String> before,
                                                Map<String, String> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        List<MetadataRecord> records = new ArrayList<>();
        for (String key : keys) {
            String value = after.get(key);
            if (Objects.equals(before.get(key), value)) {
                continue;
            }
            ConfigRecord.Builder record = resource.clone().setName(key);
            if (value != null) {
                record.setValue(value);
            }
            records.add(MetadataRecord.newBuilder().setConfig(record).build());
        }
        return records;
    }

    private static String describe(ConfigResource resource) {
        if (resource.getType() == ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER) {
            return resource.getName().isEmpty() ? "the cluster-wide broker default" : "broker " + resource.getName();
        }
        return "topic '" + resource.getName() + "'";
    }
}
