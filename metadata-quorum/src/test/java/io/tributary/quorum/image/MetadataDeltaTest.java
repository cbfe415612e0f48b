package io.tributary.quorum.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.metadata.v1.ConfigRecord;
import io.tributary.proto.metadata.v1.ConfigResourceType;
import io.tributary.proto.metadata.v1.MetadataRecord;
import io.tributary.proto.metadata.v1.PartitionRecord;
import io.tributary.proto.metadata.v1.RemoveTopicRecord;
import io.tributary.proto.metadata.v1.TopicRecord;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class MetadataDeltaTest {

    private static MetadataRecord topic(String name, String id) {
        return MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name).setTopicId(id)).build();
    }

    private static MetadataRecord partition(String id, int p, int epoch) {
        return MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder().setTopicId(id).setPartition(p)
                .addReplicas(1).addIsr(1).setLeader(1).setLeaderEpoch(epoch).setPartitionEpoch(epoch)).build();
    }

    private static MetadataRecord config(String topic, String key, String value) {
        ConfigRecord.Builder c = ConfigRecord.newBuilder().setResourceType(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC)
                .setResourceName(topic).setName(key);
        if (value != null) {
            c.setValue(value);
        }
        return MetadataRecord.newBuilder().setConfig(c).build();
    }

    private static MetadataImage replay(MetadataImage base, long firstOffset, MetadataRecord... records) {
        MetadataDelta delta = new MetadataDelta(base);
        long offset = firstOffset;
        for (MetadataRecord r : records) {
            delta.replay(r, offset++);
        }
        return delta.apply();
    }

    @Test
    void topicPartitionsAndConfigsFoldIntoAnImmutableImage() {
        MetadataImage image = replay(MetadataImage.EMPTY, 0, topic("orders", "id-1"), partition("id-1", 0, 0),
                partition("id-1", 1, 0), config("orders", "retention.ms", "1000"));
        TopicImage orders = image.topic("orders").orElseThrow();
        assertEquals(2, orders.partitions().size());
        assertEquals("1000", orders.configs().get("retention.ms"));
        assertEquals("orders", image.topicById("id-1").orElseThrow().name());
        assertEquals(3, image.lastOffset());
        assertThrows(UnsupportedOperationException.class, () -> orders.partitions().clear());
        assertTrue(MetadataImage.EMPTY.topicsByName().isEmpty(), "the base image must not change");
    }

    @Test
    void removingAConfigAndThenTheTopicIsReportedInTheDelta() {
        MetadataImage before = replay(MetadataImage.EMPTY, 0, topic("t", "id"), partition("id", 0, 0),
                config("t", "segment.bytes", "2048"));
        MetadataImage withoutConfig = replay(before, 3, config("t", "segment.bytes", null));
        assertFalse(withoutConfig.topic("t").orElseThrow().configs().containsKey("segment.bytes"));

        MetadataDelta delta = new MetadataDelta(withoutConfig);
        delta.replay(MetadataRecord.newBuilder().setRemoveTopic(RemoveTopicRecord.newBuilder().setTopicId("id"))
                .build(), 4);
        MetadataImage after = delta.apply();
        assertTrue(after.topic("t").isEmpty());
        assertTrue(after.topicById("id").isEmpty());
        assertEquals(List.of("t"), List.copyOf(delta.deletedTopics().keySet()));
    }

    @Test
    void recordsThatContradictTheStateAreRejected() {
        MetadataImage image = replay(MetadataImage.EMPTY, 0, topic("t", "id"), partition("id", 0, 5));
        assertThrows(IllegalStateException.class, () -> replay(image, 2, topic("t", "other-id")));
        assertThrows(IllegalStateException.class, () -> replay(image, 2, partition("missing", 0, 0)));
        assertThrows(IllegalStateException.class, () -> replay(image, 2, partition("id", 0, 4)));
        assertThrows(IllegalStateException.class, () -> replay(image, 2, config("nope", "a", "b")));
        assertThrows(IllegalStateException.class, () -> replay(image, 2, MetadataRecord.getDefaultInstance()));
        IllegalStateException untyped = assertThrows(IllegalStateException.class, () -> replay(image, 2,
                MetadataRecord.newBuilder().setConfig(ConfigRecord.newBuilder().setResourceName("t")
                        .setName("retention.ms").setValue("1")).build()));
        assertEquals("ConfigRecord for resource 't' has no resource type", untyped.getMessage());
    }

    @Test
    void theLoaderRefusesToReplayAnOffsetTwiceAndPublishesEachBatch() {
        MetadataLoader loader = new MetadataLoader();
        List<MetadataImage> published = new java.util.ArrayList<>();
        loader.register(new MetadataPublisher() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
                published.add(newImage);
            }
        });
        loader.load(List.of(new MetadataLoader.CommittedRecord(0, topic("a", "ida"))));
        assertThrows(IllegalStateException.class,
                () -> loader.load(List.of(new MetadataLoader.CommittedRecord(0, topic("b", "idb")))));
        assertEquals(1, published.size());
        assertTrue(loader.image().topic("a").isPresent());
    }

    @Test
    void aSnapshotNeverMovesTheImageBack() {
        MetadataLoader loader = new MetadataLoader();
        loader.load(List.of(new MetadataLoader.CommittedRecord(5, MetadataRecord.newBuilder()
                .setTopic(TopicRecord.newBuilder().setName("t").setTopicId("id")).build())));
        MetadataImage older = MetadataSnapshot.deserialize(MetadataSnapshot.serialize(MetadataImage.EMPTY), 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loader.loadSnapshot(older));
        assertTrue(e.getMessage().contains("back from offset 5"), e.getMessage());
        assertTrue(loader.image().topic("t").isPresent(), "the image is unchanged");
    }
}
