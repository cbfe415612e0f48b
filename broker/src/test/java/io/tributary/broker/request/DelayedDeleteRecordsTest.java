package io.tributary.broker.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionFixture;
import io.tributary.broker.partition.PartitionListener;
import io.tributary.common.TopicPartition;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.proto.v1.DeleteRecordsPartitionResult;
import io.tributary.proto.v1.DeleteRecordsResponse;
import io.tributary.proto.v1.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DeleteRecords answer waits for the in-sync followers' log start offsets (Kafka's
 * DelayedDeleteRecords): it completes when the last one reports the offset (and stays complete if
 * the low watermark then goes down), times out naming the ISR and low watermark, settles at once
 * when the leadership moves or a proposal holding it back is refused, and names a shutdown.
 */
@Tag("unit")
class DelayedDeleteRecordsTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;
    private final DelayedOperationPurgatory purgatory = new DelayedOperationPurgatory("test-delete-records");
    private PartitionFixture partitions;
    private Partition leader;

    @BeforeEach
    void setUp() {
        partitions = new PartitionFixture(dir);
        PartitionListener wakesPurgatory = new PartitionListener() {
            @Override
            public void onHighWatermarkAdvanced(Partition partition) {
                purgatory.checkAndComplete(partition.topicPartition());
            }

            @Override
            public void onLogAppended(Partition partition) {
            }
        };
        leader = partitions.partition(dir.resolve(TP.toString()), "id", 1, 0, wakesPurgatory);
        leader.makeLeader(4, List.of(1, 2, 3), List.of(1, 2, 3), 7, 0);
        RecordBatchBuilder batch = new RecordBatchBuilder();
        for (int i = 0; i < 5; i++) {
            batch.append(0, null, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        leader.appendAsLeader(batch.build(), 0);
        leader.recordFollowerFetch(2, 5, 5, 0, true, 1);
        leader.recordFollowerFetch(3, 5, 5, 0, true, 1);
        assertEquals(5, leader.highWatermark());
    }

    @AfterEach
    void tearDown() {
        purgatory.close();
        partitions.close();
    }

    /** A fetch by an in-sync follower at the log end, reporting its log start offset. */
    private void reportLogStart(int replicaId, long logStartOffset) {
        leader.recordFollowerFetch(replicaId, 5, 5, logStartOffset, true, 2);
    }

    /** A DeleteRecords of partition {@link #TP} deleted on the leader, and its answer. */
    private record Pending(DelayedDeleteRecords operation, CompletableFuture<DeleteRecordsResponse> answer) {

        DeleteRecordsPartitionResult result() throws Exception {
            return answer.get(10, TimeUnit.SECONDS).getPartitions(0);
        }
    }

    /** Deletes on the leader and builds the waiting answer, without the purgatory (checked by hand). */
    private Pending deleted(long offset, long timeoutMs) {
        long required = leader.deleteRecordsAsLeader(offset);
        DeleteRecordsPartitionResult.Builder result = DeleteRecordsPartitionResult.newBuilder().setTopic(TP.topic())
                .setPartition(TP.partition()).setErrorCode(ErrorCode.ERROR_CODE_NONE);
        CompletableFuture<DeleteRecordsResponse> answer = new CompletableFuture<>();
        return new Pending(new DelayedDeleteRecords(List.of(result),
                List.of(new DelayedDeleteRecords.Waiting(result, leader, required)), timeoutMs, answer,
                purgatory::isClosed), answer);
    }

    /** Deletes and waits in the purgatory. */
    private Pending deleteBelow(long offset, long timeoutMs) {
        Pending pending = deleted(offset, timeoutMs);
        purgatory.tryCompleteElseWatch(pending.operation(), List.of(TP), timeoutMs);
        return pending;
    }

    @Test
    void completesWhenTheLastInSyncFollowerReportsTheOffset() throws Exception {
        Pending pending = deleteBelow(3, 60_000);
        assertEquals(3, leader.logStartOffset(), "the leader deleted at once");
        assertEquals(0, leader.lowWatermark(), "the followers have reported log start offset 0 so far");

        reportLogStart(2, 3);
        assertEquals(0, leader.lowWatermark());
        assertFalse(pending.operation().isSatisfied(), "replica 3 has not reported yet");

        reportLogStart(3, 4);
        DeleteRecordsPartitionResult result = pending.result();
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
        assertEquals(3, result.getLowWatermark(), "the lowest log start offset over the ISR");
    }

    @Test
    void aReachedOffsetStaysReachedWhenTheLowWatermarkGoesDownBeforeTheAnswer() throws Exception {
        Pending pending = deleted(3, 60_000);
        reportLogStart(2, 3);
        reportLogStart(3, 3);
        assertTrue(pending.operation().isSatisfied());

        // A reassignment adds replica 4, which has not reported a log start offset to this leader.
        leader.makeLeader(4, List.of(1, 2, 3, 4), List.of(1, 2, 3, 4), 8, 3);
        assertEquals(-1, leader.lowWatermark());
        pending.operation().onComplete(false);

        DeleteRecordsPartitionResult result = pending.result();
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
        assertEquals(3, result.getLowWatermark(), "every replica in sync when it was reached had deleted");
    }

    @Test
    void aShutdownAnswersBrokerNotAvailableNotATimeout() throws Exception {
        Pending pending = deleteBelow(3, 60_000);

        purgatory.close();

        DeleteRecordsPartitionResult result = pending.result();
        assertEquals(ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE, result.getErrorCode(), result.getErrorMessage());
        assertTrue(result.getErrorMessage().startsWith("the node shut down before every in-sync replica [1, 2, 3] "
                + "of t-0 reported deleting the records below offset 3"), result.getErrorMessage());
    }

    @Test
    void aRefusedIsrExpansionWakesTheAnswerItWasHoldingBack() throws Exception {
        leader.onIsrChangeCommitted(4, List.of(1, 2), 8, 2);
        Optional<IsrChange> expansion = leader.recordFollowerFetch(3, 5, 5, 0, true, 3);
        assertTrue(expansion.isPresent(), "3 caught up and is proposed back");
        Pending pending = deleteBelow(3, 60_000);
        reportLogStart(2, 3);
        assertEquals(0, leader.lowWatermark(), "the proposed member 3 counts");

        leader.onIsrChangeRefused(expansion.get());

        DeleteRecordsPartitionResult result = pending.result();
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
        assertEquals(3, result.getLowWatermark());
    }

    @Test
    void timesOutNamingTheIsrAndTheLowWatermark() throws Exception {
        reportLogStart(2, 0);
        reportLogStart(3, 0);
        Pending pending = deleteBelow(-1, 50);
        reportLogStart(2, 5);

        DeleteRecordsPartitionResult result = pending.result();

        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, result.getErrorCode());
        assertEquals(-1, result.getLowWatermark());
        assertTrue(result.getErrorMessage().contains("deleted the records below offset 5, but within timeout_ms 50 "
                + "not every in-sync replica [1, 2, 3] reported it (low watermark 0)"), result.getErrorMessage());
        assertEquals(5, leader.logStartOffset(), "the leader's deletion stands");
    }

    @Test
    void aLeaderThatStepsDownAnswersNotLeader() throws Exception {
        Pending pending = deleteBelow(2, 60_000);

        leader.makeFollower(2, 5, List.of(2, 3));

        DeleteRecordsPartitionResult result = pending.result();
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, result.getErrorCode(), result.getErrorMessage());
    }

    @Test
    void anIsrShrinkLeavesOutTheRemovedFollower() {
        reportLogStart(2, 1);
        leader.deleteRecordsAsLeader(1);
        assertEquals(0, leader.lowWatermark(), "replica 3 still reports 0");

        leader.onIsrChangeCommitted(4, List.of(1, 2), 8, 2);

        assertEquals(1, leader.lowWatermark());
    }
}
