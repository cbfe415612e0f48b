package io.tributary.client.producer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.client.TestRecords;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.common.errors.BufferExhaustedException;
import io.tributary.proto.v1.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery guarantees across broker restarts, back-pressure and close. */
@Tag("integration")
class ProducerDeliveryIntegrationTest {

    @TempDir
    Path dir;
    TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private Map<String, Object> config(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", node.bootstrap());
        config.put("retry.backoff.ms", "20");
        config.put("retry.backoff.max.ms", "200");
        config.putAll(overrides);
        return config;
    }

    private TributaryProducer<String, String> producer(Map<String, Object> overrides) {
        return new TributaryProducer<>(config(overrides), new StringSerializer(), new StringSerializer());
    }

    @Test
    void restartMidStreamLosesNoAcknowledgedRecordAndKeepsPartitionOrder() throws Exception {
        node.createTopic("flow", 4, Map.of());
        int total = 4_000;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (TributaryProducer<String, String> producer = producer(Map.of("acks", "all", "linger.ms", "1",
                "batch.size", "2048", "max.in.flight.requests.per.connection", "5"))) {
            for (int i = 0; i < total; i++) {
                String value = String.format("%06d", i);
                futures.add(producer.send(new ProducerRecord<>("flow", "key-" + (i % 16), value), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.add(value);
                    }
                }));
                if (i == total / 4) {
                    await().atMost(20, TimeUnit.SECONDS).until(() -> !acknowledged.isEmpty());
                    node.stop();
                }
                if (i == total / 2) {
                    node.startAgain();
                }
            }
            producer.flush();
        }
        for (Future<RecordMetadata> future : futures) {
            assertTrue(future.get().hasOffset(), "every record is eventually acknowledged");
        }
        assertEquals(total, acknowledged.size());
        Set<String> stored = ConcurrentHashMap.newKeySet();
        for (int partition = 0; partition < 4; partition++) {
            List<String> values = TestRecords.readAll(node, "flow", partition).stream()
                    .map(r -> r.getValue().toStringUtf8()).toList();
            stored.addAll(values);
            assertFirstOccurrencesAscend(values, partition);
        }
        assertTrue(stored.containsAll(acknowledged), "acknowledged records missing after the restart");
    }

    /** Records of one partition keep send order; a retried batch may repeat, but never jumps ahead. */
    private static void assertFirstOccurrencesAscend(List<String> values, int partition) {
        Set<String> seen = new java.util.HashSet<>();
        String previous = "";
        for (String value : values) {
            if (seen.add(value)) {
                assertTrue(value.compareTo(previous) > 0, "partition " + partition + ": " + value + " after " + previous);
                previous = value;
            }
        }
    }

    @Test
    void aFullBufferBlocksSendForMaxBlockMsThenFails() throws Exception {
        node.createTopic("slow", 1, Map.of());
        try (TributaryProducer<String, String> producer = producer(Map.of("buffer.memory", "65536",
                "batch.size", "16384", "max.block.ms", "300", "linger.ms", "0"))) {
            producer.send(new ProducerRecord<>("slow", "warm-up")).get();
            node.stop();
            String value = "x".repeat(10_000);
            Future<RecordMetadata> last = null;
            for (int i = 0; i < 20 && (last == null || !last.isDone()); i++) {
                last = producer.send(new ProducerRecord<>("slow", value));
            }
            Future<RecordMetadata> failed = last;
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, failed::get);
            assertInstanceOf(BufferExhaustedException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("max.block.ms (300 ms)"), e.getCause().getMessage());
            node.startAgain();
        }
    }

    @Test
    void closeSendsEverythingAlreadyAccepted() throws Exception {
        node.createTopic("lazy", 2, Map.of());
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        TributaryProducer<String, String> producer = producer(Map.of("linger.ms", "60000", "batch.size", "1000000"));
        for (int i = 0; i < 500; i++) {
            futures.add(producer.send(new ProducerRecord<>("lazy", i % 2, null, "v" + i)));
        }
        assertTrue(futures.stream().noneMatch(Future::isDone), "linger holds the records");
        producer.close();
        for (Future<RecordMetadata> future : futures) {
            assertTrue(future.get().hasOffset());
        }
        List<Record> p0 = TestRecords.readAll(node, "lazy", 0);
        List<Record> p1 = TestRecords.readAll(node, "lazy", 1);
        assertEquals(250, p0.size());
        assertEquals(250, p1.size());
        assertEquals("v0", p0.get(0).getValue().toStringUtf8());
        assertEquals("v499", p1.get(249).getValue().toStringUtf8());
    }

    @Test
    void flushInsideACallbackIsRefusedInsteadOfDeadlocking() throws Exception {
        node.createTopic("cb", 1, Map.of());
        java.util.concurrent.CompletableFuture<Exception> seen = new java.util.concurrent.CompletableFuture<>();
        try (TributaryProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>("cb", "v"), (metadata, error) -> {
                try {
                    producer.flush();
                    seen.complete(null);
                } catch (IllegalStateException e) {
                    seen.complete(e);
                }
            });
            Exception refused = seen.get(20, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, refused);
            assertTrue(refused.getMessage().contains("callback"), refused.getMessage());
        }
    }

    @Test
    void acksZeroCompletesWithoutOffsets() throws Exception {
        node.createTopic("fire", 1, Map.of());
        try (TributaryProducer<String, String> producer = producer(Map.of("acks", "0"))) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("fire", "k", "v")).get();
            assertEquals(-1, metadata.offset());
            assertEquals("fire", metadata.topic());
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> TestRecords.readAll(node, "fire", 0).size() == 1);
    }
}
