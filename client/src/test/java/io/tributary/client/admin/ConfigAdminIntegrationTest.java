package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.cluster.InProcessCluster;
import io.tributary.client.admin.ConfigEntry.ConfigSource;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.BrokerIdNotRegisteredException;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** describeConfigs and incrementalAlterConfigs against a real cluster of a controller and two brokers. */
@Tag("integration")
class ConfigAdminIntegrationTest {

    @TempDir
    static Path dir;
    static InProcessCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(dir, 1, 2, Map.of()).start();
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(1)));
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 2))).all().get();
        cluster.awaitTopic("t");
    }

    @AfterAll
    static void stop() {
        admin.close();
        cluster.close();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, future::get).getCause();
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static ConfigResource broker(String name) {
        return new ConfigResource(ConfigResource.Type.BROKER, name);
    }

    private static Map<ConfigResource, Collection<AlterConfigOp>> set(ConfigResource resource, String key,
                                                                      String value) {
        return Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
    }

    @Test
    void eachBrokerDescribesItsOwnStaticConfigs() throws Exception {
        Map<ConfigResource, Config> described = admin.describeConfigs(List.of(broker("1"), broker("2"))).all().get();
        ConfigEntry nodeOne = described.get(broker("1")).get("node.id");
        ConfigEntry nodeTwo = described.get(broker("2")).get("node.id");
        assertEquals("1", nodeOne.value());
        assertEquals("2", nodeTwo.value());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, nodeTwo.source());
        assertTrue(nodeTwo.isReadOnly());
        assertFalse(described.get(broker("2")).get("log.retention.ms").isReadOnly());
    }

    @Test
    void topicAndPerBrokerChangesAreDescribedAndApplied() throws Exception {
        admin.incrementalAlterConfigs(set(topic("t"), "retention.ms", "5000")).all().get();
        // Answered once committed; the broker describing it applies the metadata a moment later.
        ConfigEntry retention = Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> admin.describeConfigs(
                        List.of(topic("t")), new DescribeConfigsOptions().includeSynonyms(true)
                                .includeDocumentation(true)).all().get().get(topic("t")).get("retention.ms"),
                entry -> "5000".equals(entry.value()));
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());
        assertEquals(new ConfigEntry.ConfigSynonym("log.retention.ms", "604800000", ConfigSource.DEFAULT_CONFIG),
                retention.synonyms().get(1));
        assertTrue(retention.documentation().contains("Delete segments"), retention.documentation());

        admin.incrementalAlterConfigs(set(broker("2"), "log.segment.bytes", "65536")).all().get();
        TopicPartition tp = new TopicPartition("t", 0);
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
                cluster.node(2).localReplica(tp).orElseThrow().log().config().segmentBytes() == 65536);
        // Broker 1 must have replayed the change too, or its unchanged config would prove nothing.
        long changeOffset = cluster.node(2).metadataImage().lastOffset();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
                cluster.node(1).metadataImage().lastOffset() >= changeOffset);
        assertEquals("65536", cluster.node(1).metadataImage().brokerConfigs("2").get("log.segment.bytes"));
        assertEquals(1073741824, cluster.node(1).localReplica(tp).orElseThrow().log().config().segmentBytes(),
                "a per-broker value applies to that broker only");
        ConfigEntry perBroker = admin.describeConfigs(List.of(broker("2"))).all().get().get(broker("2"))
                .get("log.segment.bytes");
        assertEquals(ConfigSource.DYNAMIC_BROKER_CONFIG, perBroker.source());
        assertTrue(perBroker.synonyms().isEmpty(), "synonyms only when asked for");
    }

    @Test
    void appendAndDeleteWork() throws Exception {
        admin.incrementalAlterConfigs(Map.of(topic("t"), List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy",
                "compact"), AlterConfigOp.OpType.APPEND)))).all().get();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cleanupPolicy().value(),
                "delete,compact"::equals);
        admin.incrementalAlterConfigs(Map.of(topic("t"), List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy",
                null), AlterConfigOp.OpType.DELETE)))).all().get();
        ConfigEntry reset = Awaitility.await().atMost(30, TimeUnit.SECONDS).until(
                ConfigAdminIntegrationTest::cleanupPolicy, ConfigEntry::isDefault);
        assertEquals("delete", reset.value());
    }

    private static ConfigEntry cleanupPolicy() throws Exception {
        return admin.describeConfigs(List.of(topic("t"))).all().get().get(topic("t")).get("cleanup.policy");
    }

    @Test
    void errorsMapToTheirExceptionsPerResource() {
        AlterConfigsResult result = admin.incrementalAlterConfigs(Map.of(
                topic("t"), List.of(new AlterConfigOp(new ConfigEntry("retention.hours", "1"), AlterConfigOp.OpType.SET)),
                broker("1"), List.of(new AlterConfigOp(new ConfigEntry("log.dirs", "/x"), AlterConfigOp.OpType.SET)),
                topic("missing"), List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1"),
                        AlterConfigOp.OpType.SET))));
        assertInstanceOf(InvalidConfigurationException.class, failure(result.values().get(topic("t"))));
        Throwable readOnly = failure(result.values().get(broker("1")));
        assertInstanceOf(InvalidRequestException.class, readOnly);
        assertEquals("Cannot update these configs dynamically: [log.dirs]", readOnly.getMessage());
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(result.values().get(topic("missing"))));

        DescribeConfigsResult described = admin.describeConfigs(List.of(broker("9"), topic("missing")));
        assertInstanceOf(BrokerIdNotRegisteredException.class, failure(described.values().get(broker("9"))));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(described.values().get(topic("missing"))));
    }

    @Test
    void validateOnlyChangesNothing() throws Exception {
        admin.incrementalAlterConfigs(set(topic("t"), "max.message.bytes", "1000"),
                new AlterConfigsOptions().validateOnly(true)).all().get();
        assertEquals(ConfigSource.DEFAULT_CONFIG, admin.describeConfigs(List.of(topic("t"))).all().get()
                .get(topic("t")).get("max.message.bytes").source());
    }

    @Test
    void anUnreachableClusterTimesOut() {
        try (Admin unreachable = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:1"))) {
            assertInstanceOf(TimeoutException.class, failure(unreachable.describeConfigs(List.of(topic("t"), broker("1")),
                    new DescribeConfigsOptions().timeoutMs(800)).values().get(broker("1"))));
            assertInstanceOf(TimeoutException.class, failure(unreachable.incrementalAlterConfigs(
                    set(topic("t"), "retention.ms", "1"), new AlterConfigsOptions().timeoutMs(800)).all()));
        }
    }
}
