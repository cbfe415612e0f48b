package io.tributary.client.consumer.internal;

import io.tributary.client.internal.Backoff;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.CommitFailedException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.FencedInstanceIdException;
import io.tributary.common.errors.FencedMemberEpochException;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.errors.UnknownMemberIdException;
import io.tributary.proto.v1.ConsumerGroupHeartbeatRequest;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import io.tributary.proto.v1.OwnedPartitions;
import io.tributary.proto.v1.Subscription;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member side of the group protocol (group_service.proto) for one consumer: what the next
 * heartbeat carries and when it is due, what the coordinator's answers mean, and what the
 * application thread must do to follow the assignment. Pure logic: no I/O, no threads, times passed
 * in; {@link Signals} tells the two threads when there is something to do.
 *
 * <p>States and transitions:
 * <pre>
 * UNSUBSCRIBED --subscribe--> JOINING --answer--> STABLE --answer--> STABLE (new assignment: reconcile)
 * JOINING/STABLE --FENCED_MEMBER_EPOCH/UNKNOWN_MEMBER_ID--> LOST --lost handled--> JOINING (epoch 0)
 * JOINING/STABLE --no poll for max.poll.interval.ms--> POLL_EXPIRED (leave, epoch -1) --next poll--> JOINING
 * JOINING/STABLE --fatal error--> FATAL --subscribe--> JOINING
 * any --leave (close/unsubscribe)--> LEAVING --leave answered or failed for good--> UNSUBSCRIBED
 * </pre>
 * The application thread owns the partitions: {@link #nextTask()} tells it what to give up or
 * take, and only what it reports back through {@link #completeReconciliation} is sent as
 * {@code owned_partitions}, so a partition is reported released only after the consumer stopped
 * returning its records. Each join or stop starts a new <em>incarnation</em>; answers and
 * reconciliations of an earlier one are ignored.
 *
 * <p>Thread-safety: shared by the heartbeat thread and the application thread; every method is
 * synchronized and none blocks.
 */
public final class MembershipState {

    private static final Logger log = LoggerFactory.getLogger(MembershipState.class);

    /** The member epoch that leaves the group. */
    public static final int LEAVE_EPOCH = -1;
    /** The member epoch a static member leaves with, keeping its assignment for its session timeout. */
    public static final int STATIC_LEAVE_EPOCH = -2;

    public enum State { UNSUBSCRIBED, JOINING, STABLE, LOST, POLL_EXPIRED, FATAL, LEAVING }

    /** Wakes the thread that has something to do; called with this object's lock held, so it must not block. */
    public interface Signals {
        /** A heartbeat may be due earlier than the heartbeat thread planned. */
        void heartbeatNeeded();

        /** {@link #nextTask()} may have something for the application thread. */
        void taskReady();
    }

    /** The member's fixed settings. {@code instanceId} and {@code assignor} are empty when unset. */
    public record Settings(String groupId, String memberId, String instanceId, String clientId, String assignor,
                           int sessionTimeoutMs, int maxPollIntervalMs, int heartbeatIntervalMs,
                           long retryBackoffMs, long retryBackoffMaxMs) {
    }

    /** A heartbeat to send and the incarnation it belongs to. */
    public record Outgoing(ConsumerGroupHeartbeatRequest request, int incarnation) {
        boolean isLeave() {
            return request.getMemberEpoch() < 0;
        }
    }

    /** What the application thread has to do next. */
    public sealed interface Task permits Lost, Reconcile {
        int incarnation();
    }

    /** Every partition the application owns is lost: tell the listener, drop them, then {@link #completeLost}. */
    public record Lost(int incarnation) implements Task {
    }

    /**
     * Move to owning exactly {@code target}: revoke what is not in it, take what is new, then
     * {@link #completeReconciliation}. {@code firstSinceJoin}: the listener hears of the assignment
     * even when nothing changed (Kafka calls onPartitionsAssigned after every join).
     */
    public record Reconcile(int incarnation, Set<TopicPartition> target, boolean firstSinceJoin) implements Task {
    }

    /** The identity an offset commit carries. */
    public record Identity(String memberId, int epoch) {
        /** A commit from outside the group (assign() users, admins). */
        public static final Identity NON_MEMBER = new Identity("", -1);
    }

    private final Settings settings;
    private final Signals signals;
    private State state = State.UNSUBSCRIBED;
    private Subscription subscription;
    private int epoch;
    private int incarnation;
    private int heartbeatIntervalMs;
    private long nextHeartbeatMs;
    private int failures;
    private boolean sendSubscription;
    private boolean sendOwned;
    private boolean rebalanceRequested;
    private boolean firstSinceJoin;
    /** The application still has to drop its partitions after the member lost them (LOST, POLL_EXPIRED, FATAL). */
    private boolean lostPending;
    private Set<TopicPartition> owned = Set.of();
    private Set<TopicPartition> target = Set.of();
    private TributaryException fatalError;
    private boolean inPoll;
    private long lastPollMs;
    /** The epoch of a leave still to be sent (-1 or -2), or 0 when none is. */
    private int pendingLeaveEpoch;
    private CompletableFuture<Void> leaveDone = CompletableFuture.completedFuture(null);

    public MembershipState(Settings settings, Signals signals) {
        this.settings = settings;
        this.signals = signals;
        this.heartbeatIntervalMs = settings.heartbeatIntervalMs();
    }

    public synchronized State state() {
        return state;
    }

    public synchronized int memberEpoch() {
        return epoch;
    }

    public String memberId() {
        return settings.memberId();
    }

    /**
     * Subscribes (joining when not a member) or changes the subscription of a member; the change
     * goes out with the next heartbeat, sent at once.
     */
    public synchronized void subscribe(Subscription newSubscription, long nowMs) {
        boolean changed = !newSubscription.equals(subscription);
        subscription = newSubscription;
        if (state == State.UNSUBSCRIBED || state == State.FATAL || state == State.LEAVING) {
            lastPollMs = nowMs;
            startJoining(nowMs);
        } else if (changed) {
            sendSubscription = true;
            nextHeartbeatMs = nowMs;
            signals.heartbeatNeeded();
        }
    }

    private void startJoining(long nowMs) {
        state = State.JOINING;
        epoch = 0;
        incarnation++;
        owned = Set.of();
        target = Set.of();
        lostPending = false;
        fatalError = null;
        failures = 0;
        firstSinceJoin = false;
        nextHeartbeatMs = nowMs;
        signals.heartbeatNeeded();
    }

    /** Asks the coordinator to compute the target assignment again (enforceRebalance); no-op when not a member. */
    public synchronized void requestRebalance(long nowMs) {
        if (state == State.STABLE || state == State.JOINING) {
            rebalanceRequested = true;
            nextHeartbeatMs = Math.min(nextHeartbeatMs, nowMs);
            signals.heartbeatNeeded();
        }
    }

    /** The application entered poll(): it is alive whatever the poll lasts. */
    public synchronized void pollStarted() {
        inPoll = true;
    }

    /** The application left poll() at {@code nowMs}: max.poll.interval.ms runs from here. */
    public synchronized void pollEnded(long nowMs) {
        inPoll = false;
        lastPollMs = nowMs;
    }

    /**
     * The heartbeat to send now, or null when none is due. Detects that the application stopped
     * polling, and then leaves the group.
     */
    public synchronized Outgoing nextHeartbeat(long nowMs) {
        if (pollExpired(nowMs)) {
            log.warn("Member {} of group {} leaves the group: the application did not call poll() for {} ms "
                    + "(max.poll.interval.ms); it rejoins at its next poll()", settings.memberId(), settings.groupId(),
                    nowMs - lastPollMs);
            state = State.POLL_EXPIRED;
            incarnation++;
            lostPending = true;
            pendingLeaveEpoch = LEAVE_EPOCH;
            nextHeartbeatMs = nowMs;
            signals.taskReady();
        }
        if (nowMs < nextHeartbeatMs) {
            return null;
        }
        if (pendingLeaveEpoch != 0) {
            nextHeartbeatMs = Long.MAX_VALUE;
            return new Outgoing(base(pendingLeaveEpoch).build(), incarnation);
        }
        if (state != State.JOINING && state != State.STABLE) {
            return null;
        }
        return new Outgoing(heartbeat(), incarnation);
    }

    private boolean pollExpired(long nowMs) {
        return (state == State.JOINING || state == State.STABLE) && !inPoll
                && nowMs - lastPollMs >= settings.maxPollIntervalMs();
    }

    private ConsumerGroupHeartbeatRequest heartbeat() {
        boolean joining = state == State.JOINING;
        ConsumerGroupHeartbeatRequest.Builder request = base(epoch);
        if (joining) {
            request.setSessionTimeoutMs(settings.sessionTimeoutMs())
                    .setRebalanceTimeoutMs(settings.maxPollIntervalMs()).setClientId(settings.clientId());
        }
        if (joining || sendSubscription) {
            request.setSubscription(subscription);
            sendSubscription = false;
        }
        if (joining || sendOwned) {
            request.setOwnedPartitions(OwnedPartitions.newBuilder().addAllTopics(PartitionSets.toProto(owned)));
            sendOwned = false;
        }
        if (rebalanceRequested) {
            request.setRebalanceRequested(true);
            rebalanceRequested = false;
        }
        // Not due again until answered; the answer (or failure) schedules the next one.
        nextHeartbeatMs = Long.MAX_VALUE;
        return request.build();
    }

    private ConsumerGroupHeartbeatRequest.Builder base(int memberEpoch) {
        return ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(settings.groupId())
                .setMemberId(settings.memberId()).setMemberEpoch(memberEpoch).setInstanceId(settings.instanceId())
                .setServerAssignor(settings.assignor());
    }

    /** How long the heartbeat thread may wait before calling {@link #nextHeartbeat} again (unless signalled). */
    public synchronized long delayMs(long nowMs) {
        long until = nextHeartbeatMs;
        if ((state == State.JOINING || state == State.STABLE) && !inPoll) {
            until = Math.min(until, lastPollMs + settings.maxPollIntervalMs());
        }
        return until == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, until - nowMs);
    }

    /** Applies the coordinator's answer to {@code sent}. */
    public synchronized void onHeartbeatResponse(Outgoing sent, ConsumerGroupHeartbeatResponse response,
                                                 long nowMs) {
        TributaryException error = Errors.exceptionFor(response.getErrorCode(),
                response.getErrorMessage());
        if (sent.isLeave()) {
            onLeaveOutcome(error, nowMs);
        } else if (sent.incarnation() != incarnation) {
            log.debug("Ignoring the answer to a heartbeat of an earlier membership of group {}", settings.groupId());
        } else if (error != null) {
            onError(sent, error, nowMs);
        } else {
            onSuccess(response, nowMs);
        }
    }

    /** Applies a failure to send {@code sent} or to get its answer (coordinator unknown or unreachable, timeout). */
    public synchronized void onHeartbeatFailure(Outgoing sent, TributaryException error, long nowMs) {
        if (sent.isLeave()) {
            onLeaveOutcome(error, nowMs);
        } else if (sent.incarnation() == incarnation) {
            onError(sent, error, nowMs);
        }
    }

    private void onSuccess(ConsumerGroupHeartbeatResponse response, long nowMs) {
        failures = 0;
        epoch = response.getMemberEpoch();
        if (response.getHeartbeatIntervalMs() > 0) {
            heartbeatIntervalMs = response.getHeartbeatIntervalMs();
        }
        // A change made while this heartbeat was in flight goes out at once, not an interval later.
        boolean changesToSend = sendOwned || sendSubscription || rebalanceRequested;
        nextHeartbeatMs = changesToSend ? nowMs : nowMs + heartbeatIntervalMs;
        if (state == State.JOINING) {
            state = State.STABLE;
            firstSinceJoin = true;
            log.info("Member {} joined group {} with epoch {}", settings.memberId(), settings.groupId(), epoch);
        }
        target = PartitionSets.fromProto(response.getAssignmentList());
        if (firstSinceJoin || !target.equals(owned)) {
            signals.taskReady();
        }
    }

    private void onError(Outgoing sent, TributaryException error, long nowMs) {
        if (error instanceof FencedMemberEpochException || error instanceof UnknownMemberIdException) {
            log.warn("Member {} of group {} was fenced ({}); its partitions are lost and it rejoins",
                    settings.memberId(), settings.groupId(), error.getMessage());
            state = State.LOST;
            epoch = 0;
            incarnation++;
            lostPending = true;
            signals.taskReady();
        } else if (error instanceof ApiException && !(error instanceof RetriableException)) {
            log.error("Member {} of group {} stops: {}", settings.memberId(), settings.groupId(), error.toString());
            state = State.FATAL;
            fatalError = error;
            incarnation++;
            lostPending = true;
            signals.taskReady();
        } else {
            log.debug("Heartbeat of member {} of group {} failed, retrying: {}", settings.memberId(),
                    settings.groupId(), error.getMessage());
            // The answer may have been lost with changes in it: the next heartbeat carries everything again.
            sendSubscription = true;
            sendOwned = true;
            rebalanceRequested |= sent.request().getRebalanceRequested();
            nextHeartbeatMs = nowMs + Backoff.exponentialMs(settings.retryBackoffMs(), settings.retryBackoffMaxMs(),
                    failures++);
        }
    }

    private void onLeaveOutcome(TributaryException error, long nowMs) {
        if (error instanceof RetriableException && !leaveDone.isDone() && state == State.LEAVING) {
            nextHeartbeatMs = nowMs + Backoff.exponentialMs(settings.retryBackoffMs(), settings.retryBackoffMaxMs(),
                    failures++);
            return;
        }
        if (error != null) {
            log.info("Leaving group {} failed: {}", settings.groupId(), error.getMessage());
        }
        pendingLeaveEpoch = 0;
        failures = 0;
        if (state == State.LEAVING) {
            state = State.UNSUBSCRIBED;
            epoch = LEAVE_EPOCH;
        }
        if (state == State.JOINING) {
            nextHeartbeatMs = nowMs;
        }
        leaveDone.complete(null);
    }

    /** The next thing the application thread must do, or null. */
    public synchronized Task nextTask() {
        if (lostPending) {
            return new Lost(incarnation);
        }
        if (state == State.STABLE && (firstSinceJoin || !target.equals(owned))) {
            return new Reconcile(incarnation, target, firstSinceJoin);
        }
        return null;
    }

    /**
     * The application dropped every partition of a {@link Lost} task: a lost or expired member now
     * rejoins with epoch 0 (after its leave, if one is still to be sent).
     */
    public synchronized void completeLost(int taskIncarnation, long nowMs) {
        if (taskIncarnation != incarnation) {
            return;
        }
        owned = Set.of();
        lostPending = false;
        if (state == State.LOST || state == State.POLL_EXPIRED) {
            lastPollMs = nowMs;
            startJoining(nowMs);
        }
    }

    /** The application now owns {@code nowOwned} after a {@link Reconcile} task; reported at once. */
    public synchronized void completeReconciliation(int taskIncarnation, Set<TopicPartition> nowOwned, long nowMs) {
        if (taskIncarnation != incarnation || state != State.STABLE) {
            return;
        }
        firstSinceJoin = false;
        if (!nowOwned.equals(owned)) {
            owned = Set.copyOf(nowOwned);
            sendOwned = true;
            nextHeartbeatMs = Math.min(nextHeartbeatMs, nowMs);
            signals.heartbeatNeeded();
        }
    }

    /** The error that stopped the member (thrown by poll until the next subscribe), or null. */
    public synchronized TributaryException fatalError() {
        return state == State.FATAL ? fatalError : null;
    }

    /**
     * Leaves the group with {@code leaveEpoch} (-1, or -2 for a static member keeping its assignment);
     * the application must already have given up its partitions. The future completes when the
     * coordinator answered, at once when there is nothing to leave.
     */
    public synchronized CompletableFuture<Void> leave(int leaveEpoch, long nowMs) {
        // A member stopped by an error other than being replaced is still in the group until it leaves.
        boolean member = state == State.JOINING || state == State.STABLE
                || state == State.FATAL && epoch > 0 && !(fatalError instanceof FencedInstanceIdException);
        owned = Set.of();
        target = Set.of();
        subscription = null;
        lostPending = false;
        incarnation++;
        if (member) {
            pendingLeaveEpoch = leaveEpoch;
        }
        state = pendingLeaveEpoch != 0 ? State.LEAVING : State.UNSUBSCRIBED;
        epoch = state == State.UNSUBSCRIBED ? LEAVE_EPOCH : epoch;
        if (state == State.LEAVING) {
            failures = 0;
            leaveDone = new CompletableFuture<>();
            nextHeartbeatMs = nowMs;
            signals.heartbeatNeeded();
            return leaveDone;
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Who commits offsets now.
     *
     * @throws CommitFailedException when the consumer is subscribed but not (or no longer) a member
     */
    public synchronized Identity commitIdentity() {
        if (state != State.STABLE) {
            throw new CommitFailedException("cannot commit offsets: this consumer is not an active member of group '"
                    + settings.groupId() + "' (" + state.name().toLowerCase(java.util.Locale.ROOT)
                    + "); its partitions may have moved to another member");
        }
        return new Identity(settings.memberId(), epoch);
    }
}
