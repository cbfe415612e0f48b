package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.client.Node;
import io.tributary.common.errors.InvalidPartitionsException;
import io.tributary.common.errors.TopicExistsException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.MetadataResponse;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic administration and cluster description against one real node (each test uses its own topics). */
@Tag("integration")
class AdminIntegrationTest {

    @TempDir
    static Path dir;
    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() {
        node = new TestNode(dir, Map.of("num.partitions", "4"));
        admin = Admin.create(Map.of("bootstrap.servers", node.bootstrap(), "client.id", "admin-it"));
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    /** The exception a failed future failed with. */
    static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        return e.getCause();
    }

    @Test
    void createsTopicsAndReportsTheirShape() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("created", 3, (short) 1)));
        result.all().get();
        assertEquals(Set.of("created"), result.values().keySet());
        assertEquals(3, result.numPartitions("created").get());
        assertEquals(1, result.replicationFactor("created").get());
        UUID id = result.topicId("created").get();
        assertNotEquals(new UUID(0, 0), id);
        Map<String, TopicListing> listed = admin.listTopics().namesToListings().get();
        assertEquals(new TopicListing("created", id, false), listed.get("created"));
        assertThrows(IllegalArgumentException.class, () -> result.topicId("other"));
    }

    @Test
    void absentCountAndFactorTakeTheBrokerDefaults() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("defaults", Optional.empty(),
                Optional.empty())));
        assertEquals(4, result.numPartitions("defaults").get());
        assertEquals(1, result.replicationFactor("defaults").get());
        assertEquals(4, admin.describeTopics(List.of("defaults")).allTopicNames().get().get("defaults")
                .partitions().size());
    }

    @Test
    void validateOnlyChecksWithoutCreating() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("validated", 2, (short) 1)),
                new CreateTopicsOptions().validateOnly(true));
        result.all().get();
        assertEquals(2, result.numPartitions("validated").get());
        assertEquals(new UUID(0, 0), result.topicId("validated").get());
        assertFalse(admin.listTopics().names().get().contains("validated"));

        CreateTopicsResult invalid = admin.createTopics(List.of(new NewTopic("validated", 0, (short) 1)),
                new CreateTopicsOptions().validateOnly(true));
        assertInstanceOf(InvalidPartitionsException.class, failure(invalid.all()));
    }

    @Test
    void anExistingTopicFailsOnlyItsOwnFuture() throws Exception {
        admin.createTopics(List.of(new NewTopic("existing", 1, (short) 1))).all().get();
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("existing", 1, (short) 1),
                new NewTopic("newcomer", 1, (short) 1)));
        Throwable error = failure(result.values().get("existing"));
        assertInstanceOf(TopicExistsException.class, error);
        assertTrue(error.getMessage().contains("'existing' already exists"), error.getMessage());
        result.values().get("newcomer").get();
        assertInstanceOf(TopicExistsException.class, failure(result.all()));
    }

    @Test
    void invalidPartitionCountsAndConfigsAreRejectedWithTheBrokersMessage() {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("zero", 0, (short) 1),
                new NewTopic("badconfig", 1, (short) 1).configs(Map.of("retention.ms", "soon"))));
        Throwable zero = failure(result.values().get("zero"));
        assertInstanceOf(InvalidPartitionsException.class, zero);
        assertTrue(zero.getMessage().contains("at least 1"), zero.getMessage());
        Throwable config = failure(result.values().get("badconfig"));
        assertTrue(config.getMessage().contains("retention.ms"), config.getMessage());
    }

    @Test
    void listsTopicsWithoutInternalOnesByDefault() throws Exception {
        admin.createTopics(List.of(new NewTopic("listed-a", 1, (short) 1), new NewTopic("listed-b", 1, (short) 1)))
                .all().get();
        Collection<TopicListing> listings = admin.listTopics().listings().get();
        assertTrue(listings.stream().noneMatch(TopicListing::isInternal));
        assertTrue(admin.listTopics().names().get().containsAll(Set.of("listed-a", "listed-b")));
        Set<String> withInternal = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        assertTrue(withInternal.containsAll(Set.of("listed-a", "listed-b")));
    }

    @Test
    void describesPartitionsReplicasAndTopicConfigs() throws Exception {
        UUID id = admin.createTopics(List.of(new NewTopic("described", 2, (short) 1)
                .configs(Map.of("retention.ms", "3600000")))).topicId("described").get();
        TopicDescription description = admin.describeTopics(List.of("described")).topicNameValues().get("described")
                .get();
        assertEquals("described", description.name());
        assertEquals(id, description.topicId());
        assertFalse(description.isInternal());
        assertEquals(Map.of("retention.ms", "3600000"), description.configs());
        Node self = onlyBroker();
        assertEquals(2, description.partitions().size());
        for (int p = 0; p < 2; p++) {
            TopicPartitionInfo partition = description.partitions().get(p);
            assertEquals(p, partition.partition());
            assertEquals(self, partition.leader());
            assertEquals(List.of(self), partition.replicas());
            assertEquals(List.of(self), partition.isr());
        }
    }

    @Test
    void describingAnUnknownTopicFailsThatTopicOnly() throws Exception {
        admin.createTopics(List.of(new NewTopic("known", 1, (short) 1))).all().get();
        DescribeTopicsResult result = admin.describeTopics(List.of("known", "unknown"));
        assertEquals("known", result.topicNameValues().get("known").get().name());
        Throwable error = failure(result.topicNameValues().get("unknown"));
        assertInstanceOf(UnknownTopicOrPartitionException.class, error);
        assertTrue(error.getMessage().contains("'unknown' does not exist"), error.getMessage());
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(result.allTopicNames()));
    }

    @Test
    void deletesTopics() throws Exception {
        admin.createTopics(List.of(new NewTopic("doomed", 1, (short) 1))).all().get();
        DeleteTopicsResult result = admin.deleteTopics(List.of("doomed"));
        result.all().get();
        assertFalse(admin.listTopics().names().get().contains("doomed"));
        Throwable again = failure(admin.deleteTopics(List.of("doomed")).values().get("doomed"));
        assertInstanceOf(UnknownTopicOrPartitionException.class, again);
    }

    @Test
    void increasesPartitionCountsButNeverDecreasesThem() throws Exception {
        admin.createTopics(List.of(new NewTopic("growing", 1, (short) 1))).all().get();
        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3)),
                new CreatePartitionsOptions().validateOnly(true)).all().get();
        assertEquals(1, partitionCount("growing"));

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all().get();
        assertEquals(3, partitionCount("growing"));

        CreatePartitionsResult shrink = admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(2),
                "absent", NewPartitions.increaseTo(2)));
        Throwable error = failure(shrink.values().get("growing"));
        assertInstanceOf(InvalidPartitionsException.class, error);
        assertTrue(error.getMessage().contains("has 3 partitions"), error.getMessage());
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(shrink.values().get("absent")));
        assertEquals(3, partitionCount("growing"));
    }

    @Test
    void describesTheCluster() throws Exception {
        MetadataResponse raw = node.cluster().metadata(MetadataRequest.getDefaultInstance());
        DescribeClusterResult result = admin.describeCluster();
        Node self = onlyBroker();
        assertEquals(List.of(self), List.copyOf(result.nodes().get()));
        assertEquals("127.0.0.1", self.host());
        assertEquals(node.port(), self.port());
        assertEquals(raw.getControllerId(), result.controller().get().id());
        assertEquals(self, result.controller().get());
        assertFalse(result.clusterId().get().isEmpty());
        assertEquals(raw.getClusterId(), result.clusterId().get());
        assertNull(self.rack());
    }

    @Test
    void emptyRequestsCompleteAtOnce() throws Exception {
        assertTrue(admin.createTopics(List.of()).values().isEmpty());
        assertTrue(admin.describeTopics(List.of()).allTopicNames().get().isEmpty());
        admin.deleteTopics(List.of()).all().get();
        admin.createPartitions(Map.of()).all().get();
        assertTrue(admin.listOffsets(Map.of()).all().get().isEmpty());
    }

    private static Node onlyBroker() throws Exception {
        Collection<Node> nodes = admin.describeCluster().nodes().get();
        assertEquals(1, nodes.size());
        return nodes.iterator().next();
    }

    private static int partitionCount(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    }
}
