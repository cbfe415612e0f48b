package io.tributary.client.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.client.PartitionInfo;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.producer.internal.Murmur2;
import io.tributary.client.serialization.ByteArrayDeserializer;
import io.tributary.client.serialization.ByteArraySerializer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.InvalidConfigurationException;
import io.tributary.common.errors.RecordTooLargeException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.RecordBatch;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Tag("integration")
class ProducerFeaturesIntegrationTest {

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
        config.put("key.serializer", StringSerializer.class);
        config.put("value.serializer", StringSerializer.class);
        config.putAll(overrides);
        return config;
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void everyCodecRoundTripsAndIsStoredAsSent(CompressionType codec) throws Exception {
        node.createTopic("codec", 1, Map.of());
        try (Producer<String, String> producer = new TributaryProducer<>(config(Map.of(
                "compression.type", codec.configName(), "linger.ms", "50")))) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("codec", "k" + i, "value-" + i + "-" + "z".repeat(i % 50)));
            }
            producer.flush();
        }
        var response = node.fetch().fetch(FetchRequest.newBuilder().setRecordFormat(RecordFormat.RECORD_FORMAT_BATCHES)
                .setMaxBytes(8 << 20).addPartitions(FetchPartition.newBuilder().setTopic("codec").setPartition(0)
                        .setPartitionMaxBytes(8 << 20)).build()).getPartitions(0);
        List<CompressionType> stored = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(response.getRecordBatches().asReadOnlyByteBuffer())) {
            stored.add(batch.compressionType());
        }
        assertTrue(!stored.isEmpty() && stored.stream().allMatch(c -> c == codec), "stored codecs " + stored);
        try (TributaryConsumer<String, String> consumer = new TributaryConsumer<>(Map.of(
                "bootstrap.servers", node.bootstrap(), "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition("codec", 0)));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            org.awaitility.Awaitility.await().until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= 200;
            });
            for (int i = 0; i < 200; i++) {
                assertEquals("value-" + i + "-" + "z".repeat(i % 50), records.get(i).value());
            }
        }
    }

    @Test
    void keysLandOnThePartitionKafkasDefaultPartitionerPicks() throws Exception {
        node.createTopic("keyed", 7, Map.of());
        try (Producer<String, String> producer = new TributaryProducer<>(config(Map.of()))) {
            for (String key : List.of("21", "foobar", "abc", "user-42", "a-little-bit-long-string")) {
                RecordMetadata metadata = producer.send(new ProducerRecord<>("keyed", key, "v")).get();
                int expected = Murmur2.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 7);
                assertEquals(expected, metadata.partition(), "partition of key " + key);
            }
            assertEquals((-790332482 & 0x7fffffff) % 7,
                    producer.send(new ProducerRecord<>("keyed", "foobar", "again")).get().partition());
        }
    }

    @Test
    void recordsNearMessageMaxBytesPassAndLargerOnesFailWithAClearError() throws Exception {
        node.createTopic("big", 1, Map.of());
        Map<String, Object> overrides = Map.of("max.request.size", "3000000", "buffer.memory", "10000000");
        try (Producer<byte[], byte[]> producer = new TributaryProducer<>(config(overrides), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int nearLimit = 1_048_588 - 200; // message.max.bytes default, less batch and record framing
            assertEquals(0, producer.send(new ProducerRecord<>("big", new byte[nearLimit])).get().offset());

            ExecutionException rejected = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("big", new byte[1_200_000])).get());
            assertInstanceOf(RecordTooLargeException.class, rejected.getCause());

            ExecutionException local = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("big", new byte[3_100_000])).get());
            assertInstanceOf(RecordTooLargeException.class, local.getCause());
            assertTrue(local.getCause().getMessage().contains("max.request.size"), local.getCause().getMessage());
        }
        try (TributaryConsumer<byte[], byte[]> consumer = new TributaryConsumer<>(Map.of("bootstrap.servers",
                node.bootstrap(), "auto.offset.reset", "earliest", "fetch.max.bytes", "2000000"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition("big", 0)));
            assertEquals(1, consumer.endOffsets(List.of(new TopicPartition("big", 0)))
                    .get(new TopicPartition("big", 0)));
        }
    }

    @Test
    void unknownTopicFailsAfterMaxBlockMsNamingTheTopic() {
        try (Producer<String, String> producer = new TributaryProducer<>(config(Map.of("max.block.ms", "300")))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("missing", "v")).get());
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("topic missing not present in metadata"),
                    e.getCause().getMessage());
        }
    }

    @Test
    void explicitPartitionsAreCheckedAgainstTheTopic() throws Exception {
        node.createTopic("two", 2, Map.of());
        try (Producer<String, String> producer = new TributaryProducer<>(config(Map.of()))) {
            assertEquals(1, producer.send(new ProducerRecord<>("two", 1, "k", "v")).get().partition());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> producer.send(new ProducerRecord<>("two", 5, "k", "v")));
            assertTrue(e.getMessage().contains("[0...2)"), e.getMessage());
            List<PartitionInfo> partitions = producer.partitionsFor("two");
            assertEquals(2, partitions.size());
            assertEquals(1, partitions.get(0).leader());
        }
    }

    /** Counts what it sees; configured by class name through interceptor.classes. */
    public static final class CountingInterceptor implements ProducerInterceptor<String, String> {
        static final AtomicInteger SENT = new AtomicInteger();
        static final AtomicInteger ACKED = new AtomicInteger();

        @Override
        public ProducerRecord<String, String> onSend(ProducerRecord<String, String> record) {
            SENT.incrementAndGet();
            return new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value() + "!");
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                ACKED.incrementAndGet();
            }
        }
    }

    /** Always partition 1; configured through partitioner.class. */
    public static final class LastPartitioner implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
                             List<PartitionInfo> partitions) {
            return partitions.size() - 1;
        }
    }

    @Test
    void interceptorsAndCustomPartitionersAreLoadedByName() throws Exception {
        node.createTopic("hooks", 2, Map.of());
        CountingInterceptor.SENT.set(0);
        CountingInterceptor.ACKED.set(0);
        AtomicInteger callbacks = new AtomicInteger();
        try (Producer<String, String> producer = new TributaryProducer<>(config(Map.of(
                "interceptor.classes", CountingInterceptor.class.getName(),
                "partitioner.class", LastPartitioner.class.getName())))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("hooks", "k" + i, "v"), (m, e) -> callbacks.incrementAndGet());
            }
            producer.flush();
        }
        assertEquals(10, CountingInterceptor.SENT.get());
        assertEquals(10, CountingInterceptor.ACKED.get());
        assertEquals(10, callbacks.get());
        var records = io.tributary.client.TestRecords.readAll(node, "hooks", 1);
        assertEquals(10, records.size());
        assertEquals("v!", records.get(0).getValue().toStringUtf8());
    }

    @Test
    void invalidConfigurationNamesTheKey() {
        InvalidConfigurationException acks = assertThrows(InvalidConfigurationException.class,
                () -> new TributaryProducer<>(config(Map.of("acks", "2"))));
        assertTrue(acks.getMessage().contains("acks"), acks.getMessage());
        InvalidConfigurationException linger = assertThrows(InvalidConfigurationException.class,
                () -> new TributaryProducer<>(config(Map.of("linger.ms", "soon"))));
        assertTrue(linger.getMessage().contains("linger.ms"), linger.getMessage());
        InvalidConfigurationException bootstrap = assertThrows(InvalidConfigurationException.class,
                () -> new TributaryProducer<>(config(Map.of("bootstrap.servers", "localhost"))));
        assertTrue(bootstrap.getMessage().contains("bootstrap.servers"), bootstrap.getMessage());
        InvalidConfigurationException serializer = assertThrows(InvalidConfigurationException.class,
                () -> new TributaryProducer<>(config(Map.of("value.serializer", "no.such.Serializer"))));
        assertTrue(serializer.getMessage().contains("value.serializer"), serializer.getMessage());
        InvalidConfigurationException delivery = assertThrows(InvalidConfigurationException.class,
                () -> new TributaryProducer<>(config(Map.of("delivery.timeout.ms", "1000"))));
        assertTrue(delivery.getMessage().contains("delivery.timeout.ms"), delivery.getMessage());
    }
}
