package io.tributary.client.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.CommitFailedException;
import io.tributary.common.errors.FencedInstanceIdException;
import io.tributary.common.errors.InvalidRegularExpressionException;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.Subscription;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The member side of the group protocol, driven by hand: requests out, answers in, times passed in. */
@Tag("unit")
class MembershipStateTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final Subscription ORDERS = Subscription.newBuilder().addTopicNames("orders").build();
    private static final int MAX_POLL_MS = 10_000;

    private int heartbeatSignals;
    private int taskSignals;
    private final MembershipState member = newMember("");

    private MembershipState newMember(String instanceId) {
        return new MembershipState(new MembershipState.Settings("g", "member-1", instanceId, "client-1", "range",
                3_000, MAX_POLL_MS, 500, 100, 1_000), new MembershipState.Signals() {
                    @Override
                    public void heartbeatNeeded() {
                        heartbeatSignals++;
                    }

                    @Override
                    public void taskReady() {
                        taskSignals++;
                    }
                });
    }

    private static ConsumerGroupHeartbeatResponse answer(int epoch, TopicPartition... assignment) {
        return ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE).setMemberId("member-1")
                .setMemberEpoch(epoch).setHeartbeatIntervalMs(100)
                .addAllAssignment(PartitionSets.toProto(List.of(assignment))).build();
    }

    private static ConsumerGroupHeartbeatResponse error(ErrorCode code) {
        return ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(code).setErrorMessage(code.name()).build();
    }

    /** Joins at time 0 and follows an assignment of {@code assigned} at epoch 1. */
    private void joinOwning(TopicPartition... assigned) {
        member.subscribe(ORDERS, 0);
        member.onHeartbeatResponse(member.nextHeartbeat(0), answer(1, assigned), 0);
        MembershipState.Reconcile task = (MembershipState.Reconcile) member.nextTask();
        member.completeReconciliation(task.incarnation(), Set.of(assigned), 0);
        member.onHeartbeatResponse(member.nextHeartbeat(0), answer(1, assigned), 0);
    }

    private static Set<TopicPartition> owned(ConsumerGroupHeartbeatRequest request) {
        return PartitionSets.fromProto(request.getOwnedPartitions().getTopicsList());
    }

    @Test
    void joinsWithEpochZeroAndEverythingTheCoordinatorNeeds() {
        assertNull(member.nextHeartbeat(0), "nothing to send before subscribing");
        member.subscribe(ORDERS, 0);
        assertEquals(1, heartbeatSignals);
        MembershipState.Outgoing join = member.nextHeartbeat(0);
        ConsumerGroupHeartbeatRequest request = join.request();
        assertEquals(0, request.getMemberEpoch());
        assertEquals("member-1", request.getMemberId());
        assertEquals(ORDERS, request.getSubscription());
        assertTrue(request.hasOwnedPartitions() && owned(request).isEmpty());
        assertEquals(3_000, request.getSessionTimeoutMs());
        assertEquals(MAX_POLL_MS, request.getRebalanceTimeoutMs());
        assertEquals("client-1", request.getClientId());
        assertEquals("range", request.getServerAssignor());
        assertNull(member.nextHeartbeat(0), "one heartbeat at a time: the next waits for the answer");
        assertEquals(MAX_POLL_MS, member.delayMs(0), "until answered, only the poll deadline wakes the thread");
    }

    @Test
    void followsTheFirstAssignmentThenHeartbeatsAtTheAnsweredIntervalWithOnlyWhatChanged() {
        member.subscribe(ORDERS, 0);
        member.onHeartbeatResponse(member.nextHeartbeat(0), answer(1, P0, P1), 0);
        assertEquals(MembershipState.State.STABLE, member.state());
        assertEquals(1, member.memberEpoch());
        MembershipState.Reconcile task = assertInstanceOf(MembershipState.Reconcile.class, member.nextTask());
        assertEquals(Set.of(P0, P1), task.target());
        assertTrue(task.firstSinceJoin());

        member.completeReconciliation(task.incarnation(), Set.of(P0, P1), 10);
        assertNull(member.nextTask());
        ConsumerGroupHeartbeatRequest report = member.nextHeartbeat(10).request();
        assertEquals(Set.of(P0, P1), owned(report), "taking partitions is reported at once");
        assertFalse(report.hasSubscription());
        member.onHeartbeatResponse(new MembershipState.Outgoing(report, task.incarnation()), answer(1, P0, P1), 10);

        assertNull(member.nextHeartbeat(109), "the answered interval (100 ms) wins over heartbeat.interval.ms");
        assertEquals(100, member.delayMs(10));
        ConsumerGroupHeartbeatRequest steady = member.nextHeartbeat(110).request();
        assertEquals(1, steady.getMemberEpoch());
        assertFalse(steady.hasSubscription() || steady.hasOwnedPartitions() || steady.getRebalanceRequested());
    }

    @Test
    void aRevokedPartitionIsReportedReleasedOnlyAfterTheApplicationGaveItUp() {
        joinOwning(P0, P1);
        member.onHeartbeatResponse(member.nextHeartbeat(100), answer(2, P0), 100);
        MembershipState.Reconcile task = assertInstanceOf(MembershipState.Reconcile.class, member.nextTask());
        assertEquals(Set.of(P0), task.target());
        assertFalse(task.firstSinceJoin());
        MembershipState.Outgoing beat = member.nextHeartbeat(200);
        assertFalse(beat.request().hasOwnedPartitions(), "until the application reports, the member still owns both");
        member.onHeartbeatResponse(beat, answer(2, P0), 200);
        member.completeReconciliation(task.incarnation(), Set.of(P0), 250);
        assertEquals(Set.of(P0), owned(member.nextHeartbeat(250).request()));
    }

    @Test
    void aReleaseReportedWhileAHeartbeatIsInFlightGoesOutRightAfterItsAnswer() {
        joinOwning(P0, P1);
        member.onHeartbeatResponse(member.nextHeartbeat(100), answer(2, P0), 100);
        MembershipState.Outgoing inFlight = member.nextHeartbeat(200);
        MembershipState.Reconcile task = (MembershipState.Reconcile) member.nextTask();
        member.completeReconciliation(task.incarnation(), Set.of(P0), 210);
        member.onHeartbeatResponse(inFlight, answer(2, P0), 220);
        assertEquals(Set.of(P0), owned(member.nextHeartbeat(220).request()), "not an interval later");
    }

    @Test
    void aFencedMemberLosesItsPartitionsAndRejoinsWithEpochZeroOnceTheyAreDropped() {
        for (ErrorCode code : List.of(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID)) {
            MembershipState fenced = newMember("");
            fenced.subscribe(ORDERS, 0);
            fenced.onHeartbeatResponse(fenced.nextHeartbeat(0), answer(3, P0), 0);
            MembershipState.Outgoing beat = fenced.nextHeartbeat(100);
            fenced.onHeartbeatResponse(beat, error(code), 100);
            assertEquals(MembershipState.State.LOST, fenced.state());
            MembershipState.Lost lost = assertInstanceOf(MembershipState.Lost.class, fenced.nextTask());
            assertNull(fenced.nextHeartbeat(1_000), "no rejoin before the application dropped the partitions");
            assertThrows(CommitFailedException.class, fenced::commitIdentity);

            fenced.completeLost(lost.incarnation(), 1_000);
            assertNull(fenced.nextTask());
            ConsumerGroupHeartbeatRequest rejoin = fenced.nextHeartbeat(1_000).request();
            assertEquals(0, rejoin.getMemberEpoch());
            assertEquals(ORDERS, rejoin.getSubscription());
            assertTrue(owned(rejoin).isEmpty());
            assertEquals("member-1", rejoin.getMemberId(), "the member keeps its id");
        }
    }

    @Test
    void answersToAnEarlierMembershipAreIgnored() {
        joinOwning(P0);
        MembershipState.Outgoing beforeFence = member.nextHeartbeat(100);
        member.onHeartbeatResponse(beforeFence, error(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH), 100);
        member.completeLost(member.nextTask().incarnation(), 100);
        member.onHeartbeatResponse(beforeFence, answer(7, P0, P1), 150);
        assertEquals(MembershipState.State.JOINING, member.state());
        assertEquals(0, member.memberEpoch());
        assertNull(member.nextTask());
    }

    @Test
    void anApplicationThatStopsPollingLeavesAndRejoinsAtItsNextPoll() {
        joinOwning(P0);
        member.pollStarted();
        assertEquals(MembershipState.State.STABLE, stateAfterHeartbeat(1_000 + MAX_POLL_MS + 1),
                "an application inside poll() is alive");
        member.pollEnded(20_000);
        MembershipState.Outgoing leave = member.nextHeartbeat(20_000 + MAX_POLL_MS);
        assertEquals(MembershipState.LEAVE_EPOCH, leave.request().getMemberEpoch());
        assertEquals(MembershipState.State.POLL_EXPIRED, member.state());
        MembershipState.Lost lost = assertInstanceOf(MembershipState.Lost.class, member.nextTask());
        assertThrows(CommitFailedException.class, member::commitIdentity);

        member.completeLost(lost.incarnation(), 40_000);
        member.onHeartbeatResponse(leave, answer(MembershipState.LEAVE_EPOCH), 40_000);
        ConsumerGroupHeartbeatRequest rejoin = member.nextHeartbeat(40_000).request();
        assertEquals(0, rejoin.getMemberEpoch());
    }

    private MembershipState.State stateAfterHeartbeat(long nowMs) {
        MembershipState.Outgoing beat = member.nextHeartbeat(nowMs);
        if (beat != null) {
            member.onHeartbeatResponse(beat, answer(1, P0), nowMs);
        }
        return member.state();
    }

    @Test
    void aReplacedStaticMemberIsFatalAndDoesNotLeave() {
        MembershipState replaced = newMember("instance-1");
        replaced.subscribe(ORDERS, 0);
        replaced.onHeartbeatResponse(replaced.nextHeartbeat(0), answer(1, P0), 0);
        replaced.onHeartbeatResponse(replaced.nextHeartbeat(100), error(ErrorCode.ERROR_CODE_FENCED_INSTANCE_ID), 100);
        assertEquals(MembershipState.State.FATAL, replaced.state());
        assertInstanceOf(FencedInstanceIdException.class, replaced.fatalError());
        replaced.completeLost(assertInstanceOf(MembershipState.Lost.class, replaced.nextTask()).incarnation(), 100);
        assertNull(replaced.nextHeartbeat(10_000), "a fatal member sends nothing");
        assertTrue(replaced.leave(MembershipState.STATIC_LEAVE_EPOCH, 200).isDone(), "nothing to leave");
        assertNull(replaced.nextHeartbeat(200));
    }

    @Test
    void anInvalidRegexIsFatalUntilTheNextSubscribeButTheMemberStillLeavesOnClose() {
        joinOwning(P0);
        member.subscribe(Subscription.newBuilder().setTopicRegex("orders(").build(), 100);
        MembershipState.Outgoing change = member.nextHeartbeat(100);
        assertEquals("orders(", change.request().getSubscription().getTopicRegex());
        member.onHeartbeatResponse(change, error(ErrorCode.ERROR_CODE_INVALID_REGULAR_EXPRESSION), 100);
        assertInstanceOf(InvalidRegularExpressionException.class, member.fatalError());
        CompletableFuture<Void> left = member.leave(MembershipState.LEAVE_EPOCH, 200);
        MembershipState.Outgoing leave = member.nextHeartbeat(200);
        assertEquals(MembershipState.LEAVE_EPOCH, leave.request().getMemberEpoch());
        member.onHeartbeatResponse(leave, answer(MembershipState.LEAVE_EPOCH), 210);
        assertTrue(left.isDone());
        assertEquals(MembershipState.State.UNSUBSCRIBED, member.state());
        assertNull(member.fatalError());

        member.subscribe(ORDERS, 300);
        assertEquals(0, member.nextHeartbeat(300).request().getMemberEpoch(), "subscribing again joins afresh");
    }

    @Test
    void coordinatorErrorsAndFailuresBackOffExponentiallyAndResendEverything() {
        joinOwning(P0);
        member.requestRebalance(100);
        MembershipState.Outgoing first = member.nextHeartbeat(100);
        assertTrue(first.request().getRebalanceRequested());
        member.onHeartbeatResponse(first, error(ErrorCode.ERROR_CODE_NOT_COORDINATOR), 100);
        assertNull(member.nextHeartbeat(199), "retry.backoff.ms (100) first");
        MembershipState.Outgoing second = member.nextHeartbeat(200);
        assertEquals(ORDERS, second.request().getSubscription(), "an answer may have been lost: resend everything");
        assertEquals(Set.of(P0), owned(second.request()));
        assertTrue(second.request().getRebalanceRequested(), "the rebalance request is not lost");
        member.onHeartbeatFailure(second, new BrokerNotAvailableException("down"), 200);
        assertNull(member.nextHeartbeat(399), "then doubled");
        MembershipState.Outgoing third = member.nextHeartbeat(400);
        member.onHeartbeatResponse(third, error(ErrorCode.ERROR_CODE_COORDINATOR_LOAD_IN_PROGRESS), 400);
        assertNull(member.nextHeartbeat(799));
        member.onHeartbeatResponse(member.nextHeartbeat(800), answer(2, P0), 800);
        assertEquals(MembershipState.State.STABLE, member.state());
        assertEquals(new MembershipState.Identity("member-1", 2), member.commitIdentity());
    }

    @Test
    void aStaticMemberLeavesWithEpochMinusTwoRetryingCoordinatorErrors() {
        MembershipState member = newMember("instance-1");
        member.subscribe(ORDERS, 0);
        member.onHeartbeatResponse(member.nextHeartbeat(0), answer(4, P0), 0);
        CompletableFuture<Void> left = member.leave(MembershipState.STATIC_LEAVE_EPOCH, 50);
        MembershipState.Outgoing leave = member.nextHeartbeat(50);
        assertEquals(MembershipState.STATIC_LEAVE_EPOCH, leave.request().getMemberEpoch());
        assertEquals("instance-1", leave.request().getInstanceId());
        member.onHeartbeatResponse(leave, error(ErrorCode.ERROR_CODE_NOT_COORDINATOR), 50);
        assertFalse(left.isDone());
        MembershipState.Outgoing retry = member.nextHeartbeat(150);
        assertEquals(MembershipState.STATIC_LEAVE_EPOCH, retry.request().getMemberEpoch());
        member.onHeartbeatResponse(retry, answer(MembershipState.STATIC_LEAVE_EPOCH), 150);
        assertTrue(left.isDone());
        assertEquals(MembershipState.State.UNSUBSCRIBED, member.state());
        assertNull(member.nextHeartbeat(10_000));
    }

    @Test
    void aSubscriptionChangeGoesOutAtOnceAndAnUnchangedOneNot() {
        joinOwning(P0);
        member.subscribe(ORDERS, 50);
        assertNull(member.nextHeartbeat(50), "the next heartbeat is due at 100");
        Subscription both = Subscription.newBuilder().addTopicNames("orders").addTopicNames("payments").build();
        member.subscribe(both, 50);
        assertEquals(both, member.nextHeartbeat(50).request().getSubscription());
    }

    @Test
    void leavingBeforeJoiningCompletesAtOnce() {
        assertTrue(member.leave(MembershipState.LEAVE_EPOCH, 0).isDone());
        assertSame(MembershipState.State.UNSUBSCRIBED, member.state());
        assertEquals(0, taskSignals);
    }
}
