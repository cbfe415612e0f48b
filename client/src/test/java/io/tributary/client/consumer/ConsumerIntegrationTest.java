package io.tributary.client.consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.NoOffsetForPartitionException;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.WakeupException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class ConsumerIntegrationTest {

    private static final TopicPartition TP = new TopicPartition("events", 0);

    @TempDir
    Path dir;
    TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dir, Map.of("log.retention.check.interval.ms", "100", "log.segment.delete.delay.ms", "0"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private Map<String, Object> consumerConfig(String reset) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", node.bootstrap());
        config.put("key.deserializer", StringDeserializer.class);
        config.put("value.deserializer", StringDeserializer.class);
        config.put("auto.offset.reset", reset);
        config.put("fetch.max.wait.ms", "100");
        return config;
    }

    /** Produces {@code count} records "v<first>".. with timestamps {@code baseTimestamp + i}. */
    private void produce(String topic, int first, int count, long baseTimestamp) {
        Map<String, Object> config = Map.of("bootstrap.servers", node.bootstrap(), "linger.ms", "0");
        try (TributaryProducer<String, String> producer =
                     new TributaryProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = first; i < first + count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, baseTimestamp + i, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static List<String> pollValues(Consumer<String, String> consumer, int expected) {
        List<String> values = new ArrayList<>();
        await().atMost(20, TimeUnit.SECONDS).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
            return values.size() >= expected;
        });
        return values;
    }

    @Test
    void readsFromTheBeginningInOrderAndTracksThePosition() {
        node.createTopic("events", 1, Map.of());
        produce("events", 0, 300, 1_000);
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("earliest"))) {
            consumer.assign(List.of(TP));
            List<String> values = pollValues(consumer, 300);
            assertEquals(300, values.size());
            for (int i = 0; i < 300; i++) {
                assertEquals("v" + i, values.get(i));
            }
            assertEquals(300, consumer.position(TP));
            assertEquals(Map.of(TP, 0L), consumer.beginningOffsets(List.of(TP)));
            assertEquals(Map.of(TP, 300L), consumer.endOffsets(List.of(TP)));
        }
    }

    @Test
    void seekMovesThePositionAndTheNextPollStartsThere() {
        node.createTopic("events", 1, Map.of());
        produce("events", 0, 100, 1_000);
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("earliest"))) {
            consumer.assign(List.of(TP));
            consumer.seek(TP, 42);
            assertEquals(42, consumer.position(TP));
            ConsumerRecord<String, String> first = firstRecord(consumer);
            assertEquals(42, first.offset());
            assertEquals("v42", first.value());
            assertEquals("k42", first.key());
            assertEquals(1_042, first.timestamp());

            consumer.seekToEnd(List.of(TP));
            assertEquals(100, consumer.position(TP));
            consumer.seekToBeginning(List.of(TP));
            assertEquals(0, consumer.position(TP));
            assertEquals("v0", firstRecord(consumer).value());
        }
    }

    private static ConsumerRecord<String, String> firstRecord(Consumer<String, String> consumer) {
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        await().atMost(20, TimeUnit.SECONDS).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            return !seen.isEmpty();
        });
        return seen.get(0);
    }

    @Test
    void maxPollRecordsBoundsEachPoll() {
        node.createTopic("events", 1, Map.of());
        produce("events", 0, 50, 1_000);
        Map<String, Object> config = consumerConfig("earliest");
        config.put("max.poll.records", "7");
        try (Consumer<String, String> consumer = new TributaryConsumer<>(config)) {
            consumer.assign(List.of(TP));
            List<Integer> sizes = new ArrayList<>();
            int[] total = {0};
            await().atMost(20, TimeUnit.SECONDS).until(() -> {
                int count = consumer.poll(Duration.ofMillis(100)).count();
                if (count > 0) {
                    sizes.add(count);
                }
                total[0] += count;
                return total[0] >= 50;
            });
            assertEquals(50, total[0]);
            assertTrue(sizes.stream().allMatch(size -> size <= 7), "poll sizes " + sizes);
            assertEquals(7, sizes.get(0));
        }
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfterTheTimestamp() {
        node.createTopic("events", 1, Map.of());
        produce("events", 0, 100, 10_000);
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("earliest"))) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(TP, 10_050L));
            assertEquals(50, found.get(TP).offset());
            assertEquals(10_050, found.get(TP).timestamp());
            assertEquals(0, consumer.offsetsForTimes(Map.of(TP, 0L)).get(TP).offset());
            assertNull(consumer.offsetsForTimes(Map.of(TP, 99_999L)).get(TP));
            assertThrows(IllegalArgumentException.class, () -> consumer.offsetsForTimes(Map.of(TP, -5L)));
        }
    }

    @Test
    void pausedPartitionsReturnNothingUntilResumed() {
        node.createTopic("events", 2, Map.of());
        TopicPartition other = new TopicPartition("events", 1);
        produce("events", 0, 20, 1_000);
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("earliest"))) {
            consumer.assign(List.of(TP, other));
            consumer.pause(List.of(TP));
            assertEquals(Set.of(TP), consumer.paused());
            for (int i = 0; i < 5; i++) {
                assertTrue(consumer.poll(Duration.ofMillis(50)).records(TP).isEmpty());
            }
            assertEquals(0, consumer.position(TP));
            consumer.resume(List.of(TP));
            assertEquals(Set.of(), consumer.paused());
            assertEquals(20, pollValues(consumer, 20).size());
        }
    }

    @Test
    void autoOffsetResetLatestStartsAtTheEndAndNoneRefusesToGuess() {
        node.createTopic("events", 1, Map.of());
        produce("events", 0, 10, 1_000);
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("latest"))) {
            consumer.assign(List.of(TP));
            assertEquals(10, consumer.position(TP));
            produce("events", 10, 5, 1_000);
            assertEquals(List.of("v10", "v11", "v12", "v13", "v14"), pollValues(consumer, 5));
        }
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("none"))) {
            consumer.assign(List.of(TP));
            NoOffsetForPartitionException e = assertThrows(NoOffsetForPartitionException.class,
                    () -> consumer.poll(Duration.ofMillis(100)));
            assertEquals(Set.of(TP), e.partitions());
            consumer.seek(TP, 3);
            assertEquals("v3", pollValues(consumer, 1).get(0));
        }
    }

    @Test
    void outOfRangeAfterRetentionResetsOrFailsPerAutoOffsetReset() {
        node.createTopic("events", 1, Map.of("segment.bytes", "2048", "retention.bytes", "2048"));
        // Ten separate produce requests: one request's batches go into one segment, and retention
        // never deletes the active segment, so a single request could leave nothing to delete.
        for (int round = 0; round < 10; round++) {
            produce("events", round * 200, 200, 1_000);
        }
        try (Consumer<String, String> probe = new TributaryConsumer<>(consumerConfig("earliest"))) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> probe.beginningOffsets(List.of(TP)).get(TP) > 0);
        }
        try (Consumer<String, String> strict = new TributaryConsumer<>(consumerConfig("none"))) {
            strict.assign(List.of(TP));
            strict.seek(TP, 0);
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
                OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class,
                        () -> strict.poll(Duration.ofMillis(100)));
                assertTrue(e.getMessage().contains("events-0"), e.getMessage());
            });
        }
        try (Consumer<String, String> lenient = new TributaryConsumer<>(consumerConfig("earliest"))) {
            lenient.assign(List.of(TP));
            lenient.seek(TP, 0);
            long logStart = lenient.beginningOffsets(List.of(TP)).get(TP);
            ConsumerRecord<String, String> first = firstRecord(lenient);
            assertTrue(first.offset() >= logStart, "reset to " + first.offset() + ", log start " + logStart);
        }
    }

    @Test
    void aRecordThatDoesNotDeserializeIsReportedAfterTheRecordsBeforeIt() {
        node.createTopic("events", 1, Map.of());
        produce("events", 0, 10, 1_000);
        Map<String, Object> config = consumerConfig("earliest");
        config.put("value.deserializer", RefusesV5.class);
        try (Consumer<String, String> consumer = new TributaryConsumer<>(config)) {
            consumer.assign(List.of(TP));
            List<String> before = new ArrayList<>();
            io.tributary.common.errors.SerializationException error = null;
            while (error == null) {
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> before.add(r.value()));
                } catch (io.tributary.common.errors.SerializationException e) {
                    error = e;
                }
            }
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), before);
            assertTrue(error.getMessage().contains("offset 5 of events-0"), error.getMessage());
            assertEquals(5, consumer.position(TP), "the position stays on the bad record");
            consumer.seek(TP, 6);
            assertEquals(List.of("v6", "v7", "v8", "v9"), pollValues(consumer, 4));
        }
    }

    /** Fails on the value "v5" only. */
    public static final class RefusesV5 implements io.tributary.client.serialization.Deserializer<String> {
        @Override
        public String deserialize(String topic, byte[] data) {
            String value = new String(data, java.nio.charset.StandardCharsets.UTF_8);
            if (value.equals("v5")) {
                throw new IllegalArgumentException("v5 is not welcome");
            }
            return value;
        }
    }

    @Test
    void zeroAndUnboundedPollTimeoutsBothWork() {
        node.createTopic("events", 1, Map.of());
        produce("events", 0, 3, 1_000);
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("earliest"))) {
            consumer.assign(List.of(TP));
            List<String> values = new ArrayList<>();
            await().atMost(20, TimeUnit.SECONDS).until(() -> {
                consumer.poll(Duration.ZERO).forEach(r -> values.add(r.value()));
                return values.size() >= 3;
            });
            assertEquals(List.of("v0", "v1", "v2"), values);
            produce("events", 3, 1, 1_000);
            assertEquals("v3", consumer.poll(Duration.ofMillis(Long.MAX_VALUE)).iterator().next().value());
        }
    }

    @Test
    void wakeupAbortsABlockingPollFromAnotherThread() throws Exception {
        node.createTopic("events", 1, Map.of());
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("earliest"))) {
            consumer.assign(List.of(TP));
            consumer.wakeup();
            assertThrows(WakeupException.class, () -> consumer.poll(Duration.ofSeconds(30)));
            ExecutorService waker = Executors.newSingleThreadExecutor();
            try {
                Future<?> wake = waker.submit(() -> {
                    await().atMost(10, TimeUnit.SECONDS).until(() -> isPolling(consumer));
                    consumer.wakeup();
                });
                assertThrows(WakeupException.class, () -> consumer.poll(Duration.ofSeconds(60)));
                wake.get(10, TimeUnit.SECONDS);
            } finally {
                waker.shutdownNow();
            }
            assertTrue(consumer.poll(Duration.ZERO).isEmpty(), "the wake-up is consumed once");
        }
    }

    /** True while another thread is inside a consumer call (detected through the single-thread guard). */
    private static boolean isPolling(Consumer<String, String> consumer) {
        try {
            consumer.paused();
            return false;
        } catch (ConcurrentModificationException e) {
            return true;
        }
    }

    @Test
    void useFromTwoThreadsAtOnceIsRefused() throws Exception {
        node.createTopic("events", 1, Map.of());
        try (Consumer<String, String> consumer = new TributaryConsumer<>(consumerConfig("earliest"))) {
            consumer.assign(List.of(TP));
            CountDownLatch polling = new CountDownLatch(1);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<?> poller = other.submit(() -> {
                    polling.countDown();
                    try {
                        consumer.poll(Duration.ofSeconds(60));
                    } catch (WakeupException expected) {
                        // the test's wake-up ends the poll
                    }
                });
                assertTrue(polling.await(10, TimeUnit.SECONDS));
                await().atMost(10, TimeUnit.SECONDS).until(() -> isPolling(consumer));
                ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class,
                        () -> consumer.position(TP));
                assertTrue(e.getMessage().contains("not safe for multi-threaded access"), e.getMessage());
                consumer.wakeup();
                poller.get(10, TimeUnit.SECONDS);
            } finally {
                other.shutdownNow();
            }
        }
    }
}
