package io.tributary.client.admin;

import static io.tributary.client.admin.AdminIntegrationTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.cluster.InProcessCluster;
import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.PolicyViolationException;
import io.tributary.common.errors.TimeoutException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin.deleteRecords on three brokers: each partition goes to its own leader; errors stay per partition. */
@Tag("integration")
class DeleteRecordsClusterIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void deletesAtEachLeaderAndFailsOnlyTheRefusedPartitions() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 3, Map.of()).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(1)))) {
            admin.createTopics(List.of(new NewTopic("t", 3, (short) 3),
                    new NewTopic("compacted", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
            cluster.awaitTopic("t");
            cluster.awaitTopic("compacted");
            produceFiveRecordsToEachPartition(cluster);
            TopicPartition t0 = new TopicPartition("t", 0);
            TopicPartition t1 = new TopicPartition("t", 1);
            TopicPartition t2 = new TopicPartition("t", 2);
            Set<Integer> leaders = new HashSet<>();
            cluster.node(1).metadataImage().topic("t").orElseThrow().partitions().values()
                    .forEach(p -> leaders.add(p.leader()));
            assertEquals(Set.of(1, 2, 3), leaders, "each partition has its own leader, so routing is exercised");

            Map<TopicPartition, RecordsToDelete> request = new LinkedHashMap<>();
            request.put(t0, RecordsToDelete.beforeOffset(2));
            request.put(t1, RecordsToDelete.beforeOffset(-1));
            request.put(t2, RecordsToDelete.beforeOffset(6));
            request.put(new TopicPartition("compacted", 0), RecordsToDelete.beforeOffset(0));
            DeleteRecordsResult result = admin.deleteRecords(request);

            assertEquals(request.keySet(), result.lowWatermarks().keySet());
            assertEquals(2, result.lowWatermarks().get(t0).get().lowWatermark());
            assertEquals(5, result.lowWatermarks().get(t1).get().lowWatermark(), "-1: up to the high watermark");
            Throwable beyond = assertInstanceOf(OffsetOutOfRangeException.class,
                    failure(result.lowWatermarks().get(t2)));
            assertTrue(beyond.getMessage().contains("above the high watermark 5"), beyond.getMessage());
            assertInstanceOf(PolicyViolationException.class,
                    failure(result.lowWatermarks().get(new TopicPartition("compacted", 0))));
            assertEquals(2, admin.listOffsets(Map.of(t0, OffsetSpec.earliest())).partitionResult(t0).get().offset());
        }
    }

    @Test
    void anUnknownTopicTimesOutNamingTheMetadataError() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 1, Map.of()).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(1)))) {
            DeleteRecordsResult result = admin.deleteRecords(Map.of(new TopicPartition("missing", 0),
                    RecordsToDelete.beforeOffset(1)), new DeleteRecordsOptions().timeoutMs(1_000));

            Throwable error = assertInstanceOf(TimeoutException.class, failure(result.all()));
            assertTrue(error.getMessage().contains("missing"), error.getMessage());
        }
    }

    private static void produceFiveRecordsToEachPartition(InProcessCluster cluster) throws Exception {
        try (Producer<String, String> producer = new TributaryProducer<>(Map.of("bootstrap.servers",
                cluster.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (int partition = 0; partition < 3; partition++) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("t", partition, null, "v" + i)).get();
                }
            }
        }
    }
}
