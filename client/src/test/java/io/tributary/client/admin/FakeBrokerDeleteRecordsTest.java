package io.tributary.client.admin;

import static io.tributary.client.admin.AdminIntegrationTest.failure;
import static io.tributary.client.admin.FakeBrokerAdminTest.T0;
import static io.tributary.client.admin.FakeBrokerAdminTest.T1;
import static io.tributary.client.admin.FakeBrokerAdminTest.metadata;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.PolicyViolationException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.proto.v1.DeleteRecordsPartition;
import io.tributary.proto.v1.DeleteRecordsPartitionResult;
import io.tributary.proto.v1.DeleteRecordsRequest;
import io.tributary.proto.v1.DeleteRecordsResponse;
import io.tributary.proto.v1.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** DeleteRecords routing against scripted brokers: a leader that moved, one that keeps refusing. */
@Tag("integration")
class FakeBrokerDeleteRecordsTest {

    final FakeBrokers fakes = new FakeBrokers();

    @AfterEach
    void closeAll() {
        fakes.close();
    }

    /** Answers every partition with the requested offset as its low watermark. */
    static DeleteRecordsResponse deleted(DeleteRecordsRequest request) {
        return answer(request, ErrorCode.ERROR_CODE_NONE, "");
    }

    static DeleteRecordsResponse notLeader(DeleteRecordsRequest request) {
        return answer(request, ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, "not the leader any more");
    }

    private static DeleteRecordsResponse answer(DeleteRecordsRequest request, ErrorCode code, String message) {
        DeleteRecordsResponse.Builder response = DeleteRecordsResponse.newBuilder();
        for (DeleteRecordsPartition p : request.getPartitionsList()) {
            response.addPartitions(DeleteRecordsPartitionResult.newBuilder().setTopic(p.getTopic())
                    .setPartition(p.getPartition()).setErrorCode(code).setErrorMessage(message)
                    .setLowWatermark(code == ErrorCode.ERROR_CODE_NONE ? p.getOffset() : -1));
        }
        return response.build();
    }

    static List<TopicPartition> partitionsOf(DeleteRecordsRequest request) {
        return request.getPartitionsList().stream().map(p -> new TopicPartition(p.getTopic(), p.getPartition()))
                .toList();
    }

    @Test
    void goesToEachLeaderAndFollowsALeaderThatMoved() throws Exception {
        FakeBroker a = fakes.broker(1);
        FakeBroker b = fakes.broker(2);
        AtomicInteger leaderOf1 = new AtomicInteger(2);
        a.metadata = request -> metadata(() -> 1, leaderOf1::get, a, b);
        b.metadata = a.metadata;
        a.deleteRecords = FakeBrokerDeleteRecordsTest::deleted;
        b.deleteRecords = request -> {
            leaderOf1.set(1);
            return notLeader(request);
        };

        DeleteRecordsResult result = fakes.admin(a).deleteRecords(Map.of(T0, RecordsToDelete.beforeOffset(7),
                T1, RecordsToDelete.beforeOffset(9)));

        assertEquals(7, result.lowWatermarks().get(T0).get().lowWatermark());
        assertEquals(9, result.lowWatermarks().get(T1).get().lowWatermark());
        assertEquals(List.of(List.of(T1)), b.deleteRecordsRequests.stream()
                .map(FakeBrokerDeleteRecordsTest::partitionsOf).toList());
        assertEquals(List.of(List.of(T0), List.of(T1)), a.deleteRecordsRequests.stream()
                .map(FakeBrokerDeleteRecordsTest::partitionsOf).toList());
        assertTrue(a.deleteRecordsRequests.get(0).getTimeoutMs() > 0, "the request carries the attempt's timeout");
        assertTrue(a.metadataRequests.size() + b.metadataRequests.size() >= 2, "metadata refreshed after NOT_LEADER");
    }

    @Test
    void aLeaderThatKeepsRefusingTimesOutNamingTheLastError() {
        FakeBroker a = fakes.broker(1);
        a.metadata = request -> metadata(() -> 1, () -> 1, a);
        a.deleteRecords = FakeBrokerDeleteRecordsTest::notLeader;

        DeleteRecordsResult result = fakes.admin(a).deleteRecords(Map.of(T0, RecordsToDelete.beforeOffset(1)),
                new DeleteRecordsOptions().timeoutMs(1_000));

        Throwable error = assertInstanceOf(TimeoutException.class, failure(result.all()));
        assertTrue(error.getMessage().contains("deleteRecords of t-0"), error.getMessage());
        assertTrue(error.getMessage().contains("NOT_LEADER_OR_FOLLOWER"), error.getMessage());
    }

    @Test
    void aTimedOutWaitForTheReplicasIsRetriedUntilItSucceeds() throws Exception {
        FakeBroker a = fakes.broker(1);
        a.metadata = request -> metadata(() -> 1, () -> 1, a);
        AtomicInteger attempts = new AtomicInteger();
        a.deleteRecords = request -> attempts.incrementAndGet() == 1
                ? answer(request, ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, "not every in-sync replica reported it")
                : deleted(request);

        DeleteRecordsResult result = fakes.admin(a).deleteRecords(Map.of(T0, RecordsToDelete.beforeOffset(4)));

        assertEquals(4, result.lowWatermarks().get(T0).get().lowWatermark());
        assertEquals(2, a.deleteRecordsRequests.size(), "one retry after REQUEST_TIMED_OUT");
    }

    @Test
    void aPolicyViolationFailsAtOnceWithoutRetry() {
        Throwable error = failsAtOnce(ErrorCode.ERROR_CODE_POLICY_VIOLATION, "cleanup.policy is compact");
        assertInstanceOf(PolicyViolationException.class, error);
        assertTrue(error.getMessage().contains("cleanup.policy is compact"), error.getMessage());
    }

    @Test
    void anOffsetOutOfRangeFailsAtOnceWithoutRetry() {
        Throwable error = failsAtOnce(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, "above the high watermark 3");
        assertInstanceOf(OffsetOutOfRangeException.class, error);
        assertTrue(error.getMessage().contains("above the high watermark 3"), error.getMessage());
    }

    /** The partition's failure when its leader answers {@code code}, checking there was one attempt. */
    private Throwable failsAtOnce(ErrorCode code, String message) {
        FakeBroker a = fakes.broker(1);
        a.metadata = request -> metadata(() -> 1, () -> 1, a);
        a.deleteRecords = request -> answer(request, code, message);

        DeleteRecordsResult result = fakes.admin(a).deleteRecords(Map.of(T0, RecordsToDelete.beforeOffset(9)),
                new DeleteRecordsOptions().timeoutMs(30_000));

        Throwable error = failure(result.all());
        assertEquals(1, a.deleteRecordsRequests.size(), "not retried");
        return error;
    }
}
