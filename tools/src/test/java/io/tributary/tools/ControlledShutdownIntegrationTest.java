package io.tributary.tools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.cluster.InProcessCluster;
import io.tributary.client.admin.Admin;
import io.tributary.client.admin.NewTopic;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.LongDeserializer;
import io.tributary.client.serialization.LongSerializer;
import io.tributary.common.TopicPartition;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controlled shutdown of partition leaders under a steady acks=all stream (DESIGN.md §5): the
 * controller moves the stopping broker's leaderships away, and the Java clients absorb the move
 * through retries and metadata refreshes, so the application sees no failed send and no hole in
 * what it reads.
 */
@Tag("integration")
class ControlledShutdownIntegrationTest {

    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 6;
    /** Acknowledgements to wait for between steps, so every step happens while records flow. */
    private static final int ACKS_PER_STEP = 300;

    @TempDir
    Path dir;

    @Test
    void controlledShutdownsOfLeadersFailNoAcksAllSend() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 3, 3, Map.of()).start();
             ProducerStream stream = startStream(cluster)) {
            stream.awaitAcknowledged(ACKS_PER_STEP);

            int first = leaderOf(cluster, 0);
            stopLeader(cluster, first);
            stream.awaitAcknowledged(stream.acknowledgedCount() + ACKS_PER_STEP);
            cluster.start(first);
            // The second stop must not take a partition below min.insync.replicas: wait until the
            // restarted broker caught up and is back in every ISR.
            awaitFullIsrs(cluster);
            stream.awaitAcknowledged(stream.acknowledgedCount() + ACKS_PER_STEP);
            int second = busiestLeaderOtherThan(cluster, first);
            stopLeader(cluster, second);
            stream.awaitAcknowledged(stream.acknowledgedCount() + ACKS_PER_STEP);
            Map<Long, RecordMetadata> acknowledged = stream.finish();

            // Duplicates are allowed: a batch the old leader appended but could not confirm before its
            // leadership moved is sent again and may then exist twice, the copy at another offset.
            // (The first broker stopped is running again; the second is not.)
            Map<TopicPartition, Map<Long, Long>> stored = readFromBeginning(cluster.bootstrap(first), acknowledged);
            assertEveryAcknowledgedValueAtItsOffset(acknowledged, stored);
        }
    }

    @Test
    void aConsumerPollingAcrossALeaderChangeReadsEveryAcknowledgedOffsetInOrder() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 3, 3, Map.of()).start();
             ProducerStream stream = startStream(cluster);
             LiveConsumer consumer = new LiveConsumer(cluster.bootstrapServers())) {
            stream.awaitAcknowledged(ACKS_PER_STEP);
            consumer.awaitConsumed(ACKS_PER_STEP);

            stopLeader(cluster, leaderOf(cluster, 0));
            stream.awaitAcknowledged(stream.acknowledgedCount() + ACKS_PER_STEP);
            Map<Long, RecordMetadata> acknowledged = stream.finish();
            Map<TopicPartition, Map<Long, Long>> consumed = consumer.finish(acknowledged);

            assertEveryAcknowledgedValueAtItsOffset(acknowledged, consumed);
        }
    }

    /** Creates the topic, waits until its replicas are all in sync, then starts the stream. */
    private static ProducerStream startStream(InProcessCluster cluster) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
        }
        cluster.awaitTopic(TOPIC);
        awaitFullIsrs(cluster);
        return new ProducerStream(cluster.bootstrapServers());
    }

    private static void assertEveryAcknowledgedValueAtItsOffset(Map<Long, RecordMetadata> acknowledged,
                                                                Map<TopicPartition, Map<Long, Long>> read) {
        acknowledged.forEach((value, metadata) -> assertEquals(value,
                read.get(new TopicPartition(TOPIC, metadata.partition())).get(metadata.offset()),
                "the value acknowledged at " + metadata));
    }

    /**
     * Stops {@code broker}, which must lead partitions, in a controlled shutdown. The controller
     * answers the shutdown request once the records moving its leaderships away are committed and
     * applied on the active controller, so that image must already show the moves.
     */
    private static void stopLeader(InProcessCluster cluster, int broker) {
        assertFalse(partitionsLedBy(activeImage(cluster), broker).isEmpty(), "broker " + broker + " leads partitions");

        cluster.stop(broker);

        MetadataImage after = activeImage(cluster);
        assertEquals(List.of(), partitionsLedBy(after, broker), "broker " + broker + " leads nothing once stopped");
        assertTrue(partitions(after).stream().noneMatch(p -> p.isr().contains(broker)),
                "broker " + broker + " left every ISR: " + partitions(after));
    }

    private static MetadataImage activeImage(InProcessCluster cluster) {
        int active = await().atMost(30, TimeUnit.SECONDS).until(cluster::agreedActiveController, id -> id >= 0);
        return cluster.node(active).metadataImage();
    }

    private static List<PartitionImage> partitions(MetadataImage image) {
        return List.copyOf(image.topic(TOPIC).orElseThrow().partitions().values());
    }

    private static List<Integer> partitionsLedBy(MetadataImage image, int broker) {
        return partitions(image).stream().filter(p -> p.leader() == broker).map(PartitionImage::partition).toList();
    }

    private static int leaderOf(InProcessCluster cluster, int partition) {
        return partitions(activeImage(cluster)).get(partition).leader();
    }

    private static int busiestLeaderOtherThan(InProcessCluster cluster, int excluded) {
        MetadataImage image = activeImage(cluster);
        return cluster.brokerIds().stream().filter(id -> id != excluded)
                .max(Comparator.comparingInt(id -> partitionsLedBy(image, id).size())).orElseThrow();
    }

    private static void awaitFullIsrs(InProcessCluster cluster) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> partitions(activeImage(cluster)).stream()
                .allMatch(p -> p.leader() >= 0 && p.isr().size() == p.replicas().size()));
    }

    private static Map<String, Object> consumerConfig(String bootstrap) {
        return Map.of("bootstrap.servers", bootstrap, "auto.offset.reset", "earliest");
    }

    private static List<TopicPartition> allPartitions() {
        return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
    }

    /** Each partition's values by offset, read by a fresh consumer up to the last acknowledged offsets. */
    private static Map<TopicPartition, Map<Long, Long>> readFromBeginning(String bootstrap,
                                                                         Map<Long, RecordMetadata> acknowledged) {
        Map<TopicPartition, Long> ends = endsOf(acknowledged);
        Map<TopicPartition, Map<Long, Long>> stored = new HashMap<>();
        allPartitions().forEach(tp -> stored.put(tp, new HashMap<>()));
        try (TributaryConsumer<Long, Long> consumer = new TributaryConsumer<>(consumerConfig(bootstrap),
                new LongDeserializer(), new LongDeserializer())) {
            consumer.assign(allPartitions());
            // The consumer is single-threaded: poll it on this thread, not on Awaitility's, and with no
            // pause between polls, as poll() itself waits for records.
            await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .atMost(30, TimeUnit.SECONDS).until(() -> {
                        for (ConsumerRecord<Long, Long> record : consumer.poll(Duration.ofMillis(200))) {
                            stored.get(new TopicPartition(record.topic(), record.partition()))
                                    .put(record.offset(), record.value());
                        }
                        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                    });
        }
        return stored;
    }

    /** Per partition, one past the highest acknowledged offset: how far a reader must get. */
    private static Map<TopicPartition, Long> endsOf(Map<Long, RecordMetadata> acknowledged) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        allPartitions().forEach(tp -> ends.put(tp, 0L));
        acknowledged.values().forEach(m -> ends.merge(new TopicPartition(TOPIC, m.partition()), m.offset() + 1,
                Math::max));
        return ends;
    }

    /**
     * A producer on its own thread sending 0, 1, 2, … round-robin over the partitions (value i to
     * partition i % PARTITIONS, so every leader gets traffic) with acks=all and the default retries,
     * until {@link #finish}. A semaphore bounds the unacknowledged sends, which keeps the stream
     * steady instead of filling the buffer while a leader moves.
     */
    private static final class ProducerStream implements AutoCloseable {
        private final TributaryProducer<Long, Long> producer;
        private final Semaphore window = new Semaphore(500);
        private final Map<Long, RecordMetadata> acknowledged = new ConcurrentHashMap<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final List<Future<RecordMetadata>> futures = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        ProducerStream(String bootstrap) {
            producer = new TributaryProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                    "linger.ms", "1"), new LongSerializer(), new LongSerializer());
            thread = new Thread(this::run, "test-producer-stream");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                for (long value = 0; running; value++) {
                    window.acquire();
                    long sent = value;
                    futures.add(producer.send(new ProducerRecord<>(TOPIC, (int) (value % PARTITIONS), value, value),
                            (metadata, error) -> {
                                window.release();
                                if (error == null) {
                                    acknowledged.put(sent, metadata);
                                } else {
                                    failures.add(sent + ": " + error);
                                }
                            }));
                }
            } catch (InterruptedException e) {
                // Only close() interrupts, when the test already failed.
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failures.add("send threw: " + e);
            }
        }

        int acknowledgedCount() {
            return acknowledged.size();
        }

        /** Waits until {@code count} sends are acknowledged; fails at once when a send failed. */
        void awaitAcknowledged(int count) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                assertEquals(List.of(), failures, "failed sends");
                return acknowledged.size() >= count;
            });
        }

        /** Stops sending, waits for every send's outcome and checks each succeeded; returns value to metadata. */
        Map<Long, RecordMetadata> finish() throws InterruptedException, ExecutionException {
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(thread.isAlive(), "the producer thread stopped");
            producer.flush();
            for (Future<RecordMetadata> future : futures) {
                assertTrue(future.get().hasOffset(), "every acks=all send reports its offset");
            }
            assertEquals(List.of(), failures, "failed sends");
            assertEquals(futures.size(), acknowledged.size(), "every send acknowledged");
            return Map.copyOf(acknowledged);
        }

        /** Stops the thread at once (after a failure it may be blocked on the window) and the producer. */
        @Override
        public void close() {
            running = false;
            thread.interrupt();
            producer.close(Duration.ZERO);
        }
    }

    /**
     * A consumer polling all partitions from the beginning on its own thread. It records each value
     * by offset and checks, as records arrive, that each partition's offsets continue exactly where
     * the last poll left them: never backwards, and without a gap.
     */
    private static final class LiveConsumer implements AutoCloseable {
        private final String bootstrap;
        private final Map<TopicPartition, Map<Long, Long>> consumed = new ConcurrentHashMap<>();
        private final Map<TopicPartition, Long> nextOffsets = new ConcurrentHashMap<>();
        private final List<String> problems = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile Map<TopicPartition, Long> targets;
        private volatile boolean abandoned;

        LiveConsumer(String bootstrap) {
            this.bootstrap = bootstrap;
            allPartitions().forEach(tp -> {
                consumed.put(tp, new ConcurrentHashMap<>());
                nextOffsets.put(tp, 0L);
            });
            thread = new Thread(this::run, "test-live-consumer");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try (TributaryConsumer<Long, Long> consumer = new TributaryConsumer<>(consumerConfig(bootstrap),
                    new LongDeserializer(), new LongDeserializer())) {
                consumer.assign(allPartitions());
                while (!abandoned && !reachedTargets()) {
                    for (ConsumerRecord<Long, Long> record : consumer.poll(Duration.ofMillis(200))) {
                        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                        long expected = nextOffsets.get(tp);
                        if (record.offset() != expected) {
                            problems.add(tp + ": offset " + record.offset() + " where " + expected + " was next");
                        }
                        nextOffsets.put(tp, record.offset() + 1);
                        consumed.get(tp).put(record.offset(), record.value());
                    }
                }
            } catch (RuntimeException e) {
                problems.add("poll threw: " + e);
            }
        }

        private boolean reachedTargets() {
            Map<TopicPartition, Long> current = targets;
            return current != null && current.entrySet().stream()
                    .allMatch(e -> nextOffsets.get(e.getKey()) >= e.getValue());
        }

        void awaitConsumed(int count) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                assertEquals(List.of(), problems, "consumer problems");
                return consumed.values().stream().mapToInt(Map::size).sum() >= count;
            });
        }

        /** Lets the consumer stop once it passed every acknowledged offset; returns what it read. */
        Map<TopicPartition, Map<Long, Long>> finish(Map<Long, RecordMetadata> acknowledged)
                throws InterruptedException {
            targets = endsOf(acknowledged);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(thread.isAlive(), "the consumer reached every acknowledged offset");
            assertEquals(List.of(), problems, "consumer problems");
            return consumed;
        }

        /** Makes the thread stop after its current poll, reached or not (the test may have failed). */
        @Override
        public void close() {
            abandoned = true;
        }
    }
}
