package io.tributary.broker.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionFixture;
import io.tributary.common.TopicPartition;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When an acks=all write waiting for the high watermark is answered, and with what. */
@Tag("unit")
class DelayedProduceTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;
    private PartitionFixture partitions;
    private Partition leader;

    @BeforeEach
    void setUp() {
        partitions = new PartitionFixture(dir);
        leader = partitions.partition(TP, 1);
        leader.makeLeader(3, List.of(1, 2), List.of(1, 2), 0, 0);
    }

    @AfterEach
    void tearDown() {
        partitions.close();
    }

    /** Appends one record and returns the acks=all wait for it with min.insync.replicas 2. */
    private DelayedProduce.PartitionStatus append() {
        Partition.LeaderAppend append = leader.appendAsLeader(new RecordBatchBuilder()
                .append(0, null, "v".getBytes(StandardCharsets.UTF_8)).build(), 0);
        return new DelayedProduce.PartitionStatus(leader, append.validation().lastOffset() + 1, append.leaderEpoch(), 2,
                PartitionProduceResponse.newBuilder().setTopic(TP.topic()).setErrorCode(ErrorCode.ERROR_CODE_NONE));
    }

    private static PartitionProduceResponse answer(DelayedProduce.PartitionStatus status, boolean expired) {
        return answer(status, expired, false);
    }

    private static PartitionProduceResponse answer(DelayedProduce.PartitionStatus status, boolean expired,
                                                   boolean shutdown) {
        ProduceResponse response = DelayedProduce.response(1, List.of(status), false, expired, shutdown);
        return response.getPartitions(0);
    }

    @Test
    void completesWhenTheFollowerHasTheWrite() {
        DelayedProduce.PartitionStatus status = append();
        assertFalse(status.done(), "the follower has not fetched it yet");
        leader.recordFollowerFetch(2, 1, 1, 0, true, 1);
        assertTrue(status.done());
        assertEquals(ErrorCode.ERROR_CODE_NONE, answer(status, false).getErrorCode());
    }

    @Test
    void anIsrShrunkBelowTheMinimumWhileWaitingAnswersNotEnoughReplicasAfterAppend() {
        DelayedProduce.PartitionStatus status = append();
        leader.onIsrChangeCommitted(3, List.of(1), 1, 1);
        assertTrue(status.done(), "with the ISR down to the leader, the write is committed");
        PartitionProduceResponse answer = answer(status, false);
        assertEquals(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND, answer.getErrorCode());
        assertTrue(answer.getErrorMessage().contains("fewer than min.insync.replicas 2"), answer.getErrorMessage());
    }

    @Test
    void leadershipMovingBeforeTheCommitAnswersNotLeader() {
        DelayedProduce.PartitionStatus status = append();
        leader.makeFollower(2, 4, List.of(2));
        assertTrue(status.done());
        PartitionProduceResponse answer = answer(status, false);
        assertEquals(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, answer.getErrorCode());
        assertEquals(-1, answer.getBaseOffset());
    }

    @Test
    void aShutdownBeforeTheCommitAnswersBrokerNotAvailable() {
        DelayedProduce.PartitionStatus status = append();
        PartitionProduceResponse answer = answer(status, true, true);
        assertEquals(ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE, answer.getErrorCode());
        assertTrue(answer.getErrorMessage().contains("shut down before the write to t-0"), answer.getErrorMessage());
    }

    @Test
    void theTimeoutAnswersRequestTimedOutNamingTheOffsets() {
        DelayedProduce.PartitionStatus status = append();
        PartitionProduceResponse answer = answer(status, true);
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, answer.getErrorCode());
        assertTrue(answer.getErrorMessage().contains("to reach 1 (it is 0)"), answer.getErrorMessage());
    }
}
