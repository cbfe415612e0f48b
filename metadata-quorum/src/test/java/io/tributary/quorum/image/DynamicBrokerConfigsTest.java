package io.tributary.quorum.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.metadata.v1.ConfigRecord;
import io.tributary.proto.metadata.v1.ConfigResourceType;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Broker ConfigRecords in the image, and the precedence of a partition's effective config. */
@Tag("unit")
class DynamicBrokerConfigsTest {

    private static MetadataRecord config(ConfigResourceType type, String resource, String key, String value) {
        ConfigRecord.Builder record = ConfigRecord.newBuilder().setResourceType(type).setResourceName(resource)
                .setName(key);
        if (value != null) {
            record.setValue(value);
        }
        return MetadataRecord.newBuilder().setConfig(record).build();
    }

    private static MetadataRecord broker(String resource, String key, String value) {
        return config(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, resource, key, value);
    }

    private static MetadataImage replay(MetadataImage base, MetadataRecord... records) {
        MetadataDelta delta = new MetadataDelta(base);
        for (MetadataRecord record : records) {
            delta.replay(record, base.lastOffset() + 1);
        }
        return delta.apply();
    }

    @Test
    void precedenceIsTopicThenBrokerThenClusterDefaultThenStatic() {
        MetadataImage image = replay(MetadataImage.EMPTY,
                MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName("t").setTopicId("id")).build(),
                config(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "t", "retention.ms", "1"),
                broker("", "log.retention.ms", "2"), broker("", "log.segment.bytes", "20000"),
                broker("", "log.retention.bytes", "30"), broker("1", "log.retention.bytes", "40"),
                broker("1", "log.retention.ms", "3"));
        Map<String, String> staticDefaults = Map.of("retention.ms", "9", "segment.bytes", "90000",
                "retention.bytes", "-1", "segment.ms", "1000");
        TopicImage topic = image.topic("t").orElseThrow();

        Map<String, String> onOne = DynamicBrokerConfigs.effectiveTopicConfig(staticDefaults, image, 1, topic);
        assertEquals("1", onOne.get("retention.ms"), "the topic's own value wins");
        assertEquals("40", onOne.get("retention.bytes"), "then the broker's dynamic value");
        assertEquals("20000", onOne.get("segment.bytes"), "then the cluster-wide dynamic default");
        assertEquals("1000", onOne.get("segment.ms"), "then the static value");
        assertEquals("30", DynamicBrokerConfigs.effectiveTopicConfig(staticDefaults, image, 2, topic)
                .get("retention.bytes"), "another broker does not see broker 1's value");
    }

    @Test
    void removingTheLastKeyRemovesTheResourceAndTheDeltaSaysSo() {
        MetadataImage set = replay(MetadataImage.EMPTY, broker("1", "log.retention.ms", "5"));
        assertEquals(Map.of("1", Map.of("log.retention.ms", "5")), set.brokerConfigs());
        MetadataDelta delta = new MetadataDelta(set);
        delta.replay(broker("1", "log.retention.ms", null), 1);
        assertTrue(delta.brokerConfigsChanged());
        assertTrue(delta.apply().brokerConfigs().isEmpty());
        assertFalse(new MetadataDelta(set).brokerConfigsChanged());
        assertEquals(set, MetadataSnapshot.deserialize(MetadataSnapshot.serialize(set), set.lastOffset()));
    }

    @Test
    void aSnapshotLoadedOverAnImageReportsChangedBrokerConfigs() {
        MetadataImage older = replay(MetadataImage.EMPTY, broker("", "log.retention.ms", "5"));
        MetadataImage snapshot = new MetadataImage(10, new TreeMap<>(), Map.of(), new TreeMap<>(), 0,
                new TreeMap<>(Map.of("", Map.of("log.retention.ms", "6"))));
        MetadataDelta delta = new MetadataDelta(older);
        delta.replaceWith(snapshot);
        assertTrue(delta.brokerConfigsChanged());
        assertEquals(snapshot, delta.apply());
    }

    @Test
    void aConfigRecordWithoutAResourceTypeIsCorrupt() {
        assertThrows(IllegalStateException.class, () -> replay(MetadataImage.EMPTY,
                config(ConfigResourceType.CONFIG_RESOURCE_TYPE_UNSPECIFIED, "x", "k", "v")));
    }

    @Test
    void synonymsMapBrokerKeysToTopicKeysAndBack() {
        assertEquals("retention.ms", DynamicBrokerConfigs.TOPIC_KEY_BY_BROKER_KEY.get("log.retention.ms"));
        assertEquals("log.cleanup.policy", DynamicBrokerConfigs.brokerKeyFor("cleanup.policy"));
        assertNull(DynamicBrokerConfigs.brokerKeyFor("delete.retention.ms"));
        assertFalse(DynamicBrokerConfigs.DYNAMIC_BROKER_KEYS.contains("unclean.leader.election.enable"));
    }
}
