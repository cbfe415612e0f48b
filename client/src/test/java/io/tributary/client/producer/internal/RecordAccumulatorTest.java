package io.tributary.client.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.client.Node;
import io.tributary.client.PartitionInfo;
import io.tributary.client.internal.ClusterView;
import io.tributary.common.TopicPartition;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RecordAccumulatorTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Node LEADER = new Node(1, "h", 1, null);
    private static final ClusterView VIEW = new ClusterView("c", 1, Map.of(1, LEADER),
            Map.of("t", List.of(new PartitionInfo("t", 0, 1, 0, List.of(1), List.of(1)))), Map.of(), 1);

    private final BufferBudget budget = new BufferBudget(1 << 20, 200);
    private final RecordAccumulator accumulator = new RecordAccumulator(200, 10, 1 << 20, CompressionType.NONE, budget);

    private void append(String value, long nowMs) {
        accumulator.append(TP, nowMs, null, value.getBytes(StandardCharsets.UTF_8), List.of(), null, 0, nowMs);
    }

    private static void unexpectedBuildFailure(ProducerBatch batch, RuntimeException error) {
        throw new AssertionError("building " + batch + " failed", error);
    }

    @Test
    void buffersOfAnsweredBatchesAreReusedForNewBatches() {
        append("a", 0);
        List<ProducerBatch> sent = accumulator.drain(List.of(TP), 20, RecordAccumulatorTest::unexpectedBuildFailure).get(TP);
        byte[] used = sent.get(0).initialBuffer();
        accumulator.unmute(TP);
        accumulator.deallocate(sent.get(0), true);
        append("b", 30);
        List<ProducerBatch> next = accumulator.drain(List.of(TP), 50, RecordAccumulatorTest::unexpectedBuildFailure).get(TP);
        assertTrue(used == next.get(0).initialBuffer(), "the answered batch's array is recycled");
        assertEquals(List.of("b"), values(next));
    }

    private static List<String> values(List<ProducerBatch> batches) {
        List<String> values = new ArrayList<>();
        for (ProducerBatch batch : batches) {
            for (RecordBatch b : MemoryRecords.readableRecords(batch.bytes())) {
                b.records().forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        return values;
    }

    @Test
    void aBatchWaitsForLingerUnlessFull() {
        append("a", 0);
        assertTrue(accumulator.ready(VIEW, 5).byLeader().isEmpty());
        assertEquals(5, accumulator.ready(VIEW, 5).nextCheckDelayMs());
        assertEquals(List.of(TP), accumulator.ready(VIEW, 10).byLeader().get(LEADER));
        for (int i = 0; i < 20; i++) {
            append("filler-" + i, 0);
        }
        assertEquals(List.of(TP), accumulator.ready(VIEW, 0).byLeader().get(LEADER), "a full batch goes at once");
    }

    @Test
    void onePartitionHasOneRequestInFlightAndRetriesKeepOrder() {
        for (int i = 0; i < 30; i++) {
            append(String.format("%02d", i), 0);
        }
        Map<TopicPartition, List<ProducerBatch>> first = accumulator.drain(List.of(TP), 100, RecordAccumulatorTest::unexpectedBuildFailure);
        List<ProducerBatch> sent = first.get(TP);
        assertTrue(sent.size() > 1, "all queued batches of the partition travel together");
        append("30", 100);
        assertTrue(accumulator.ready(VIEW, 200).byLeader().isEmpty(), "muted while its request is in flight");
        assertTrue(accumulator.drain(List.of(TP), 200, RecordAccumulatorTest::unexpectedBuildFailure).isEmpty());

        sent.forEach(batch -> batch.retryAt(150));
        accumulator.reenqueue(TP, sent);
        List<ProducerBatch> retried = accumulator.drain(List.of(TP), 200, RecordAccumulatorTest::unexpectedBuildFailure).get(TP);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 30; i++) {
            expected.add(String.format("%02d", i));
        }
        assertEquals(expected, values(retried), "the retry resends in order, followed by newer records");
    }

    @Test
    void retriedBatchesWaitForTheirBackoff() {
        append("a", 0);
        List<ProducerBatch> sent = accumulator.drain(List.of(TP), 20, RecordAccumulatorTest::unexpectedBuildFailure).get(TP);
        sent.forEach(batch -> batch.retryAt(120));
        accumulator.reenqueue(TP, sent);
        RecordAccumulator.Readiness early = accumulator.ready(VIEW, 100);
        assertTrue(early.byLeader().isEmpty());
        assertEquals(20, early.nextCheckDelayMs());
        assertFalse(accumulator.ready(VIEW, 120).byLeader().isEmpty());
    }

    @Test
    void expiredBatchesLeaveTheQueueAndMemoryIsReturned() {
        append("a", 0);
        long before = budget.availableBytes();
        List<ProducerBatch> expired = accumulator.expire(1_000, 1_000);
        assertEquals(1, expired.size());
        expired.forEach(batch -> accumulator.deallocate(batch, false));
        assertEquals(before + 200, budget.availableBytes());
        assertFalse(accumulator.hasIncomplete());
    }

    @Test
    void partitionsWithoutALeaderAreReported() {
        accumulator.append(new TopicPartition("other", 0), 0, null, new byte[1], List.of(), null, 0, 0);
        assertTrue(accumulator.ready(VIEW, 100).unknownLeaders());
    }
}
