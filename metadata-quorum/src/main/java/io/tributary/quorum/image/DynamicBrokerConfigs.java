package io.tributary.quorum.image;

import io.tributary.common.errors.InvalidRequestException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which broker keys are topic-config defaults, and how a partition's effective topic config is
 * layered: topic override, then the broker's own dynamic value, then the cluster-wide dynamic
 * default, then the broker's static value (server.properties), then the built-in default. The same
 * code serves the controller (validation), the brokers (applying configs to logs) and describes, so
 * they never disagree. Pure and stateless.
 */
public final class DynamicBrokerConfigs {

    /** Broker key to the topic key it is the default of (Kafka's synonyms), in a stable order. */
    public static final Map<String, String> TOPIC_KEY_BY_BROKER_KEY;

    /**
     * The broker keys IncrementalAlterConfigs may set: every topic-config default except
     * unclean.leader.election.enable, which the controller reads from its own static config when it
     * elects leaders, so a dynamic value would be shown but not obeyed.
     */
    public static final Set<String> DYNAMIC_BROKER_KEYS;

    static {
        Map<String, String> synonyms = new LinkedHashMap<>();
        synonyms.put("message.max.bytes", "max.message.bytes");
        synonyms.put("log.segment.bytes", "segment.bytes");
        synonyms.put("log.roll.ms", "segment.ms");
        synonyms.put("log.retention.ms", "retention.ms");
        synonyms.put("log.retention.bytes", "retention.bytes");
        synonyms.put("log.index.interval.bytes", "index.interval.bytes");
        synonyms.put("log.index.size.max.bytes", "segment.index.bytes");
        synonyms.put("log.segment.delete.delay.ms", "file.delete.delay.ms");
        synonyms.put("log.flush.interval.messages", "flush.messages");
        synonyms.put("log.flush.interval.ms", "flush.ms");
        synonyms.put("log.cleanup.policy", "cleanup.policy");
        synonyms.put("log.message.timestamp.type", "message.timestamp.type");
        synonyms.put("log.message.timestamp.before.max.ms", "message.timestamp.before.max.ms");
        synonyms.put("log.message.timestamp.after.max.ms", "message.timestamp.after.max.ms");
        synonyms.put("min.insync.replicas", "min.insync.replicas");
        synonyms.put("unclean.leader.election.enable", "unclean.leader.election.enable");
        TOPIC_KEY_BY_BROKER_KEY = Collections.unmodifiableMap(synonyms);
        Set<String> dynamic = new java.util.LinkedHashSet<>(synonyms.keySet());
        dynamic.remove("unclean.leader.election.enable");
        DYNAMIC_BROKER_KEYS = Collections.unmodifiableSet(dynamic);
    }

    private DynamicBrokerConfigs() {
    }

    /** The broker key whose value is the default of {@code topicKey}, or null when none is. */
    public static String brokerKeyFor(String topicKey) {
        for (Map.Entry<String, String> e : TOPIC_KEY_BY_BROKER_KEY.entrySet()) {
            if (e.getValue().equals(topicKey)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The topic-config defaults of broker {@code brokerId}: its static defaults (topic key names)
     * overlaid with the cluster-wide dynamic defaults, then with the broker's own dynamic values.
     */
    public static Map<String, String> topicDefaults(Map<String, String> staticTopicDefaults, MetadataImage image,
                                                    int brokerId) {
        Map<String, String> merged = new HashMap<>(staticTopicDefaults);
        overlay(merged, image.brokerConfigs(MetadataImage.CLUSTER_DEFAULT));
        overlay(merged, image.brokerConfigs(Integer.toString(brokerId)));
        return merged;
    }

    /** The effective topic config (topic key names) of {@code topic} on broker {@code brokerId}. */
    public static Map<String, String> effectiveTopicConfig(Map<String, String> staticTopicDefaults,
                                                           MetadataImage image, int brokerId, TopicImage topic) {
        Map<String, String> merged = topicDefaults(staticTopicDefaults, image, brokerId);
        merged.putAll(topic.configs());
        return merged;
    }

    /** Puts the topic-key form of the dynamic broker values into {@code target}. */
    public static void overlay(Map<String, String> target, Map<String, String> brokerValues) {
        brokerValues.forEach((key, value) -> {
            String topicKey = TOPIC_KEY_BY_BROKER_KEY.get(key);
            if (topicKey != null && DYNAMIC_BROKER_KEYS.contains(key)) {
                target.put(topicKey, value);
            }
        });
    }

    /**
     * The broker id a broker config resource names: only as brokers write their own id
     * ({@code Integer.toString}), so a value stored under "01" or "+1" cannot be meant for a broker
     * that never reads it.
     *
     * @throws InvalidRequestException for anything else, saying what to write instead
     */
    public static int brokerId(String resourceName) {
        int id;
        try {
            id = Integer.parseInt(resourceName);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("broker config resource name '" + resourceName + "' is neither a "
                    + "broker id nor \"\" (the cluster-wide default)");
        }
        if (!resourceName.equals(Integer.toString(id))) {
            throw new InvalidRequestException("broker config resource name '" + resourceName + "' is not a broker id "
                    + "as brokers write it: use '" + id + "' (no sign, no leading zeros)");
        }
        return id;
    }
}
