package io.tributary.broker.request;

import io.tributary.common.config.ConfigDef;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.BrokerIdNotRegisteredException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.ConfigEntry;
import io.tributary.proto.v1.ConfigResource;
import io.tributary.proto.v1.ConfigResourceType;
import io.tributary.proto.v1.ConfigSource;
import io.tributary.proto.v1.ConfigSynonym;
import io.tributary.proto.v1.DescribeConfigsResource;
import io.tributary.proto.v1.DescribeConfigsResult;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.DynamicBrokerConfigs;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.TopicImage;
import io.tributary.storage.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds DescribeConfigs answers: each config's value is the first of its synonyms, which are the
 * levels that give it a value, most specific first (topic override, this broker's dynamic value,
 * the cluster-wide dynamic default, server.properties, the built-in default). Pure given the image.
 */
final class ConfigDescriber {

    private final int nodeId;
    private final ConfigsHandler.StaticConfigs staticConfigs;

    ConfigDescriber(int nodeId, ConfigsHandler.StaticConfigs staticConfigs) {
        this.nodeId = nodeId;
        this.staticConfigs = staticConfigs;
    }

    DescribeConfigsResult describe(MetadataImage image, DescribeConfigsResource request, boolean synonyms,
                                   boolean documentation) {
        ConfigResource resource = request.getResource();
        DescribeConfigsResult.Builder result = DescribeConfigsResult.newBuilder().setResource(resource);
        try {
            List<ConfigEntry> entries = resource.getType() == ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC
                    ? topicEntries(image, resource.getName(), documentation)
                    : brokerEntries(image, resource.getName(), documentation);
            Set<String> wanted = Set.copyOf(request.getConfigNamesList());
            for (ConfigEntry entry : entries) {
                if (wanted.isEmpty() || wanted.contains(entry.getName())) {
                    result.addConfigs(synonyms ? entry : entry.toBuilder().clearSynonyms().build());
                }
            }
            result.setErrorCode(ErrorCode.ERROR_CODE_NONE);
        } catch (ApiException e) {
            result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
        }
        return result.build();
    }

    private List<ConfigEntry> topicEntries(MetadataImage image, String name, boolean documentation) {
        TopicImage topic = image.topic(name).orElseThrow(() ->
                new UnknownTopicOrPartitionException("topic '" + name + "' does not exist"));
        List<ConfigEntry> entries = new ArrayList<>();
        for (ConfigDef.ConfigKey key : sorted(LogConfig.CONFIG_DEF)) {
            String topicKey = key.name();
            List<ConfigSynonym> levels = new ArrayList<>();
            add(levels, topicKey, topic.configs().get(topicKey), ConfigSource.CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG);
            String brokerKey = DynamicBrokerConfigs.brokerKeyFor(topicKey);
            if (brokerKey != null) {
                brokerLevels(levels, image, brokerKey);
            } else {
                add(levels, topicKey, LogConfig.defaults().toProperties().get(topicKey),
                        ConfigSource.CONFIG_SOURCE_DEFAULT_CONFIG);
            }
            entries.add(entry(topicKey, levels, false, documentation ? key.doc() : ""));
        }
        return entries;
    }

    private List<ConfigEntry> brokerEntries(MetadataImage image, String name, boolean documentation) {
        if (name.equals(MetadataImage.CLUSTER_DEFAULT)) {
            return clusterDefaultEntries(image, documentation);
        }
        int id = DynamicBrokerConfigs.brokerId(name);
        if (id != nodeId) {
            BrokerImage other = image.broker(id).orElseThrow(() -> new BrokerIdNotRegisteredException("broker " + id
                    + " is not registered (registered brokers: " + image.brokers().keySet() + ")"));
            throw new InvalidRequestException("broker " + nodeId + " describes only its own configs; ask broker " + id
                    + " at " + other.host() + ":" + other.port());
        }
        List<ConfigEntry> entries = new ArrayList<>();
        for (ConfigDef.ConfigKey key : sorted(staticConfigs.definition())) {
            List<ConfigSynonym> levels = new ArrayList<>();
            brokerLevels(levels, image, key.name());
            boolean readOnly = !DynamicBrokerConfigs.DYNAMIC_BROKER_KEYS.contains(key.name());
            entries.add(entry(key.name(), levels, readOnly, documentation ? key.doc() : ""));
        }
        return entries;
    }

    /** Only the keys set as the dynamic cluster-wide default, as Kafka's --entity-default describe shows. */
    private List<ConfigEntry> clusterDefaultEntries(MetadataImage image, boolean documentation) {
        List<ConfigEntry> entries = new ArrayList<>();
        Map<String, String> defaults = new java.util.TreeMap<>(image.brokerConfigs(MetadataImage.CLUSTER_DEFAULT));
        defaults.forEach((key, value) -> {
            List<ConfigSynonym> levels = new ArrayList<>();
            add(levels, key, value, ConfigSource.CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG);
            entries.add(entry(key, levels, false, documentation ? doc(key) : ""));
        });
        return entries;
    }

    /** The levels of a broker key on this node: its dynamic value, the cluster default, static, built-in. */
    private void brokerLevels(List<ConfigSynonym> levels, MetadataImage image, String brokerKey) {
        if (DynamicBrokerConfigs.DYNAMIC_BROKER_KEYS.contains(brokerKey)) {
            add(levels, brokerKey, image.brokerConfigs(Integer.toString(nodeId)).get(brokerKey),
                    ConfigSource.CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG);
            add(levels, brokerKey, image.brokerConfigs(MetadataImage.CLUSTER_DEFAULT).get(brokerKey),
                    ConfigSource.CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG);
        }
        add(levels, brokerKey, staticConfigs.values().get(brokerKey),
                staticConfigs.explicitlySet().contains(brokerKey) ? ConfigSource.CONFIG_SOURCE_STATIC_BROKER_CONFIG
                        : ConfigSource.CONFIG_SOURCE_DEFAULT_CONFIG);
    }

    private static void add(List<ConfigSynonym> levels, String name, String value, ConfigSource source) {
        if (value != null) {
            levels.add(ConfigSynonym.newBuilder().setName(name).setValue(value).setSource(source).build());
        }
    }

    private static ConfigEntry entry(String name, List<ConfigSynonym> levels, boolean readOnly, String doc) {
        ConfigEntry.Builder entry = ConfigEntry.newBuilder().setName(name).setReadOnly(readOnly).setDocumentation(doc)
                .addAllSynonyms(levels);
        if (levels.isEmpty()) {
            entry.setSource(ConfigSource.CONFIG_SOURCE_DEFAULT_CONFIG);
        } else {
            entry.setValue(levels.get(0).getValue()).setSource(levels.get(0).getSource());
        }
        return entry.build();
    }

    private String doc(String brokerKey) {
        return staticConfigs.definition().keys().stream().filter(k -> k.name().equals(brokerKey))
                .map(ConfigDef.ConfigKey::doc).findFirst().orElse("");
    }

    private static List<ConfigDef.ConfigKey> sorted(ConfigDef definition) {
        return definition.keys().stream().sorted(java.util.Comparator.comparing(ConfigDef.ConfigKey::name)).toList();
    }
}
