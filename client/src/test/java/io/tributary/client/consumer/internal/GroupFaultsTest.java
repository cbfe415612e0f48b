package io.tributary.client.consumer.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internal.Channels;
import io.tributary.client.internal.ClientMetadata;
import io.tributary.client.internal.GroupCoordinators;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.CommitFailedException;
import io.tributary.common.errors.InvalidGroupIdException;
import io.tributary.common.errors.OffsetMetadataTooLargeException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.UnknownMemberIdException;
import io.tributary.proto.v1.CommittedOffset;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.OffsetCommitPartitionResult;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetFetchResponse;
import io.tributary.proto.v1.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat thread and the offset calls against a scripted coordinator: coordinator moves,
 * unreachable coordinators, stale and fenced epochs, timeouts and fatal answers.
 */
@Tag("integration")
class GroupFaultsTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private final FakeCoordinator fake = new FakeCoordinator();
    private final Channels channels = new Channels("test");
    private final GroupCoordinators coordinators = new GroupCoordinators(new ClientMetadata(List.of(fake.address()),
            channels, Time.SYSTEM, 300_000, 5_000), channels, 5_000);
    private final AtomicInteger epoch = new AtomicInteger(5);
    private final GroupOffsets offsets = new GroupOffsets("g", coordinators, Time.SYSTEM, 10, 50,
            () -> new MembershipState.Identity("member-1", epoch.get()), () -> { }, "test-commits");

    @AfterEach
    void close() {
        offsets.close(1_000);
        channels.close(1_000);
        fake.close();
    }

    private static OffsetCommitResponse commitError(ErrorCode code) {
        return OffsetCommitResponse.newBuilder().setErrorCode(code).setErrorMessage("scripted " + code).build();
    }

    private static final OffsetCommitResponse COMMITTED = OffsetCommitResponse.newBuilder()
            .setErrorCode(ErrorCode.ERROR_CODE_NONE).build();

    private void commit(Map<TopicPartition, OffsetAndMetadata> toCommit, long timeoutMs) {
        try {
            offsets.commit(toCommit, System.currentTimeMillis() + timeoutMs).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Test
    void theHeartbeatThreadFindsTheCoordinatorAgainAfterItMovedOrWasUnreachable() {
        AtomicInteger calls = new AtomicInteger();
        fake.heartbeat = request -> switch (calls.incrementAndGet()) {
            case 1 -> FakeCoordinator.heartbeatError(ErrorCode.ERROR_CODE_NOT_COORDINATOR);
            case 2 -> Status.UNAVAILABLE.withDescription("scripted");
            case 3 -> FakeCoordinator.heartbeatError(ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS);
            default -> ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE)
                    .setMemberId(request.getMemberId()).setMemberEpoch(3).setHeartbeatIntervalMs(50)
                    .addAllAssignment(PartitionSets.toProto(List.of(P0))).build();
        };
        AtomicInteger tasks = new AtomicInteger();
        Heartbeater[] thread = new Heartbeater[1];
        MembershipState membership = new MembershipState(new MembershipState.Settings("g", "member-1", "", "c", "",
                3_000, 60_000, 100, 10, 50), new MembershipState.Signals() {
                    @Override
                    public void heartbeatNeeded() {
                        if (thread[0] != null) {
                            thread[0].wake();
                        }
                    }

                    @Override
                    public void taskReady() {
                        tasks.incrementAndGet();
                    }
                });
        thread[0] = new Heartbeater(membership, coordinators, "g", Time.SYSTEM, "test-heartbeat");
        thread[0].start();
        try {
            membership.subscribe(Subscription.newBuilder().addTopicNames("orders").build(), System.currentTimeMillis());
            await().atMost(Duration.ofSeconds(10)).until(() -> membership.state() == MembershipState.State.STABLE);
            assertEquals(3, membership.memberEpoch());
            assertEquals(3, fake.findRequests.size(), "found again after NOT_COORDINATOR and after UNAVAILABLE, "
                    + "not after COORDINATOR_LOAD_IN_PROGRESS");
            assertTrue(tasks.get() > 0, "the application thread was told of the assignment");
            assertTrue(fake.heartbeats.subList(0, 4).stream().allMatch(h -> h.getMemberEpoch() == 0
                    && h.hasSubscription()), "every attempt is a full join until one is answered");
        } finally {
            thread[0].close(1_000);
        }
    }

    @Test
    void aCommitRejectedForAStaleEpochIsRetriedWithTheMembersNewestEpoch() {
        fake.commit = request -> {
            if (request.getMemberEpoch() < 6) {
                epoch.set(6);
                return commitError(ErrorCode.ERROR_CODE_STALE_MEMBER_EPOCH);
            }
            return COMMITTED;
        };
        commit(Map.of(P0, new OffsetAndMetadata(12)), 5_000);
        assertEquals(List.of(5, 6), fake.commits.stream().map(c -> c.getMemberEpoch()).toList());
        assertEquals(12, fake.commits.get(1).getTopics(0).getPartitions(0).getCommittedOffset());
        assertEquals("member-1", fake.commits.get(1).getMemberId());
    }

    @Test
    void aCommitOfAMemberTheCoordinatorNoLongerKnowsFailsWithCommitFailed() {
        for (ErrorCode code : List.of(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID, ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH)) {
            fake.commit = request -> commitError(code);
            CommitFailedException e = assertThrows(CommitFailedException.class,
                    () -> commit(Map.of(P0, new OffsetAndMetadata(1)), 5_000));
            assertTrue(e.getMessage().contains("member-1"), e.getMessage());
        }
        assertInstanceOf(UnknownMemberIdException.class, assertThrows(CommitFailedException.class, () -> {
            fake.commit = request -> commitError(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID);
            commit(Map.of(P0, new OffsetAndMetadata(1)), 5_000);
        }).getCause());
    }

    @Test
    void aCommitTimesOutWhileTheCoordinatorKeepsLoadingNamingTheLastError() {
        fake.commit = request -> commitError(ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS);
        TimeoutException e = assertThrows(TimeoutException.class, () -> commit(Map.of(P0, new OffsetAndMetadata(1)),
                300));
        assertTrue(e.getMessage().contains("COORDINATOR_LOAD_IN_PROGRESS"), e.getMessage());
        assertTrue(fake.commits.size() > 1, "retried before giving up");
    }

    @Test
    void aPartitionsErrorFailsTheCommitNamingThePartition() {
        fake.commit = request -> OffsetCommitResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE)
                .addPartitions(OffsetCommitPartitionResult.newBuilder().setTopic("orders").setPartition(0)
                        .setErrorCode(ErrorCode.ERROR_CODE_NONE))
                .addPartitions(OffsetCommitPartitionResult.newBuilder().setTopic("orders").setPartition(1)
                        .setErrorCode(ErrorCode.ERROR_CODE_OFFSET_METADATA_TOO_LARGE).setErrorMessage("too long"))
                .build();
        OffsetMetadataTooLargeException e = assertThrows(OffsetMetadataTooLargeException.class,
                () -> commit(Map.of(P0, new OffsetAndMetadata(1), P1, new OffsetAndMetadata(2, "x".repeat(10))), 5_000));
        assertTrue(e.getMessage().contains("orders-1"), e.getMessage());
    }

    @Test
    void committedOffsetsFollowTheCoordinatorAndMapMissingOnesToNull() {
        AtomicInteger calls = new AtomicInteger();
        fake.fetch = request -> calls.incrementAndGet() == 1
                ? OffsetFetchResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NOT_COORDINATOR).build()
                : OffsetFetchResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE)
                        .addOffsets(CommittedOffset.newBuilder().setTopic("orders").setPartition(0)
                                .setCommittedOffset(-1).setCommittedLeaderEpoch(-1))
                        .addOffsets(CommittedOffset.newBuilder().setTopic("orders").setPartition(1)
                                .setCommittedOffset(5).setCommittedLeaderEpoch(2).setMetadata("m")).build();
        Map<TopicPartition, OffsetAndMetadata> committed =
                offsets.fetch(Set.of(P0, P1), System.currentTimeMillis() + 5_000).join();
        assertNull(committed.get(P0));
        assertEquals(new OffsetAndMetadata(5, java.util.Optional.of(2), "m"), committed.get(P1));
        assertEquals(2, fake.findRequests.size(), "found the coordinator again after NOT_COORDINATOR");
    }

    @Test
    void aFatalOffsetFetchAnswerIsThrownAtOnce() {
        fake.fetch = request -> OffsetFetchResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_INVALID_GROUP_ID)
                .setErrorMessage("bad group").build();
        CompletionException e = assertThrows(CompletionException.class,
                () -> offsets.fetch(Set.of(P0), System.currentTimeMillis() + 5_000).join());
        assertInstanceOf(InvalidGroupIdException.class, e.getCause());
        assertEquals(1, fake.fetches.size());
    }
}
