package io.tributary.client.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.admin.CreateTopicsResult.TopicMetadataAndConfig;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.TopicExistsException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AdminTypesTest {

    @Test
    void newTopicReportsAbsentSettingsAsMinusOne() {
        NewTopic defaults = new NewTopic("t", Optional.empty(), Optional.empty());
        assertEquals(-1, defaults.numPartitions());
        assertEquals(-1, defaults.replicationFactor());
        assertNull(defaults.configs());
        NewTopic explicit = new NewTopic("t", 3, (short) 2);
        assertEquals(3, explicit.numPartitions());
        assertEquals(2, explicit.replicationFactor());
        assertNotEquals(defaults, explicit);
        assertThrows(NullPointerException.class, () -> new NewTopic(null, 1, (short) 1));
    }

    @Test
    void newTopicCopiesItsConfigs() {
        Map<String, String> configs = new HashMap<>(Map.of("retention.ms", "1"));
        NewTopic topic = new NewTopic("t", 1, (short) 1).configs(configs);
        configs.put("segment.bytes", "2");
        assertEquals(Map.of("retention.ms", "1"), topic.configs());
        assertThrows(UnsupportedOperationException.class, () -> topic.configs().put("x", "y"));
    }

    @Test
    void offsetSpecsKnowTheirKind() {
        assertEquals(OffsetSpec.Kind.EARLIEST, OffsetSpec.earliest().kind());
        assertEquals(OffsetSpec.Kind.LATEST, OffsetSpec.latest().kind());
        assertEquals(OffsetSpec.Kind.MAX_TIMESTAMP, OffsetSpec.maxTimestamp().kind());
        assertEquals(OffsetSpec.forTimestamp(7), OffsetSpec.forTimestamp(7));
        assertEquals(7, OffsetSpec.forTimestamp(7).timestamp());
        assertNotEquals(OffsetSpec.forTimestamp(7), OffsetSpec.forTimestamp(8));
        assertEquals("forTimestamp(7)", OffsetSpec.forTimestamp(7).toString());
    }

    @Test
    void optionsRejectANegativeTimeout() {
        assertThrows(IllegalArgumentException.class, () -> new CreateTopicsOptions().timeoutMs(-1));
        assertEquals(5, new ListOffsetsOptions().timeoutMs(5).timeoutMs());
        assertNull(new DescribeClusterOptions().timeoutMs());
        assertTrue(new CreateTopicsOptions().validateOnly(true).shouldValidateOnly());
        assertTrue(new CreatePartitionsOptions().validateOnly(true).validateOnly());
        assertFalse(new ListTopicsOptions().shouldListInternal());
        assertEquals(4, NewPartitions.increaseTo(4).totalCount());
    }

    @Test
    void createTopicsResultDerivesItsFuturesFromEachTopicsOutcome() throws Exception {
        CompletableFuture<TopicMetadataAndConfig> ok = new CompletableFuture<>();
        CompletableFuture<TopicMetadataAndConfig> taken = new CompletableFuture<>();
        Map<String, CompletableFuture<TopicMetadataAndConfig>> futures = new LinkedHashMap<>();
        futures.put("ok", ok);
        futures.put("taken", taken);
        CreateTopicsResult result = new CreateTopicsResult(futures);
        UUID id = UUID.randomUUID();
        ok.complete(new TopicMetadataAndConfig(id, 3, 1));
        taken.completeExceptionally(new TopicExistsException("topic 'taken' already exists"));
        assertEquals(List.of("ok", "taken"), List.copyOf(result.values().keySet()));
        assertEquals(id, result.topicId("ok").get());
        assertEquals(3, result.numPartitions("ok").get());
        assertNull(result.values().get("ok").get());
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.all().get());
        assertTrue(e.getCause() instanceof TopicExistsException, e.toString());
        assertThrows(IllegalArgumentException.class, () -> result.numPartitions("absent"));
    }

    @Test
    void listOffsetsResultCollectsEveryPartition() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        ListOffsetsResultInfo info = new ListOffsetsResultInfo(5, -1, Optional.of(2));
        ListOffsetsResult result = new ListOffsetsResult(Map.of(tp, CompletableFuture.completedFuture(info)));
        assertEquals(Map.of(tp, info), result.all().get());
        assertThrows(IllegalArgumentException.class, () -> result.partitionResult(new TopicPartition("t", 1)));
    }
}
