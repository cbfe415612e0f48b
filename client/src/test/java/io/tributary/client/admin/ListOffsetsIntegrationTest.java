package io.tributary.client.admin;

import static io.tributary.client.admin.AdminIntegrationTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.TestNode;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.producer.Producer;
import io.tributary.client.producer.ProducerRecord;
import io.tributary.client.producer.TributaryProducer;
import io.tributary.client.serialization.StringSerializer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.TimeoutException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offset lookups against a real node, on partitions written with the Java producer. */
@Tag("integration")
class ListOffsetsIntegrationTest {

    /** Record timestamps, in offset order: not monotonic, so max-timestamp and by-timestamp differ from latest. */
    static final long BASE = System.currentTimeMillis() - 60_000;
    static final long[] TIMESTAMPS = {BASE + 1_000, BASE + 2_000, BASE + 5_000, BASE + 3_000, BASE + 4_000};
    static final TopicPartition P0 = new TopicPartition("offsets", 0);
    static final TopicPartition P1 = new TopicPartition("offsets", 1);

    @TempDir
    static Path dir;
    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = new TestNode(dir);
        node.createTopic("offsets", 2, Map.of());
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", node.bootstrap());
        try (Producer<String, String> producer = new TributaryProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (long timestamp : TIMESTAMPS) {
                producer.send(new ProducerRecord<>("offsets", 0, timestamp, "k", "v" + timestamp)).get();
            }
        }
        admin = Admin.create(Map.of("bootstrap.servers", node.bootstrap()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    private static ListOffsetsResultInfo lookUp(TopicPartition tp, OffsetSpec spec) throws Exception {
        ListOffsetsResult result = admin.listOffsets(Map.of(tp, spec));
        return result.partitionResult(tp).get();
    }

    @Test
    void findsEarliestAndLatest() throws Exception {
        assertEquals(0, lookUp(P0, OffsetSpec.earliest()).offset());
        ListOffsetsResultInfo latest = lookUp(P0, OffsetSpec.latest());
        assertEquals(TIMESTAMPS.length, latest.offset());
        assertTrue(latest.leaderEpoch().isPresent());
        assertEquals(0, lookUp(P1, OffsetSpec.latest()).offset());
    }

    @Test
    void findsTheRecordWithTheLargestTimestamp() throws Exception {
        ListOffsetsResultInfo max = lookUp(P0, OffsetSpec.maxTimestamp());
        assertEquals(2, max.offset());
        assertEquals(BASE + 5_000, max.timestamp());
        assertTrue(max.leaderEpoch().isPresent());
    }

    @Test
    void findsTheFirstRecordAtOrAfterATimestamp() throws Exception {
        ListOffsetsResultInfo exact = lookUp(P0, OffsetSpec.forTimestamp(BASE + 2_000));
        assertEquals(1, exact.offset());
        assertEquals(BASE + 2_000, exact.timestamp());
        ListOffsetsResultInfo between = lookUp(P0, OffsetSpec.forTimestamp(BASE + 2_500));
        assertEquals(2, between.offset());
        assertEquals(BASE + 5_000, between.timestamp());
        ListOffsetsResultInfo none = lookUp(P0, OffsetSpec.forTimestamp(BASE + 10_000));
        assertEquals(new ListOffsetsResultInfo(-1, -1, Optional.empty()), none);
    }

    @Test
    void looksUpManyPartitionsInOneCall() throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        specs.put(P0, OffsetSpec.latest());
        specs.put(P1, OffsetSpec.earliest());
        Map<TopicPartition, ListOffsetsResultInfo> all = admin.listOffsets(specs).all().get();
        assertEquals(List.of(P0, P1), List.copyOf(all.keySet()));
        assertEquals(TIMESTAMPS.length, all.get(P0).offset());
        assertEquals(0, all.get(P1).offset());
    }

    @Test
    void aFatalPartitionErrorFailsOnlyThatPartition() throws Exception {
        Map<TopicPartition, OffsetSpec> specs = Map.of(P0, OffsetSpec.forTimestamp(-5), P1, OffsetSpec.latest());
        ListOffsetsResult result = admin.listOffsets(specs);
        Throwable error = failure(result.partitionResult(P0));
        assertInstanceOf(InvalidRequestException.class, error);
        assertTrue(error.getMessage().contains("-5"), error.getMessage());
        assertEquals(0, result.partitionResult(P1).get().offset());
    }

    @Test
    void aPartitionThatNeverAppearsTimesOutNamingWhy() throws Exception {
        TopicPartition missing = new TopicPartition("offsets", 7);
        TopicPartition unknownTopic = new TopicPartition("no-such-topic", 0);
        ListOffsetsResult result = admin.listOffsets(Map.of(missing, OffsetSpec.latest(), unknownTopic,
                OffsetSpec.latest(), P0, OffsetSpec.earliest()), new ListOffsetsOptions().timeoutMs(1_000));
        assertEquals(0, result.partitionResult(P0).get().offset());
        Throwable partitionError = failure(result.partitionResult(missing));
        assertInstanceOf(TimeoutException.class, partitionError);
        assertTrue(partitionError.getMessage().startsWith("listOffsets of offsets-7 timed out after "),
                partitionError.getMessage());
        assertTrue(partitionError.getMessage().contains("has 2 partition(s); partition 7 does not exist"),
                partitionError.getMessage());
        Throwable topicError = failure(result.partitionResult(unknownTopic));
        assertInstanceOf(TimeoutException.class, topicError);
        assertTrue(topicError.getMessage().contains("UNKNOWN_TOPIC_OR_PARTITION for topic 'no-such-topic'"),
                topicError.getMessage());
    }
}
