package io.tributary.client.consumer.internal;

import io.tributary.client.consumer.ConsumerGroupMetadata;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.OffsetCommitCallback;
import io.tributary.client.internal.GroupCoordinators;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.InvalidGroupIdException;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.Subscription;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application-thread side of a consumer's group: the subscription, following the coordinator's
 * assignment, auto-commit, commits and leaving. Membership itself (heartbeats) runs on the
 * {@link Heartbeater} thread; what the application must do arrives as {@link MembershipState.Task}s,
 * run here inside poll so rebalance listeners run on the application thread, as in Kafka.
 *
 * <p>Not thread-safe: used from the consumer's application thread only.
 */
public final class ConsumerGroup {

    private static final Logger log = LoggerFactory.getLogger(ConsumerGroup.class);

    /**
     * What the group needs of the rest of the consumer.
     *
     * @param dropBuffered forgets the fetched data of a partition given up
     * @param trackTopics  makes metadata describe the topics of newly assigned partitions (for fetching)
     * @param nudge        wakes the application thread when the group has work for poll()
     */
    public record Context(GroupSettings settings, String clientId, GroupCoordinators coordinators,
                          SubscriptionState subscriptions, Consumer<TopicPartition> dropBuffered,
                          Consumer<Collection<String>> trackTopics, Runnable nudge, WakeupSignal wakeups, Time time,
                          long retryBackoffMs, long retryBackoffMaxMs, long requestTimeoutMs,
                          long defaultApiTimeoutMs) {
    }

    private final Context context;
    private final GroupSettings settings;
    private final String groupId;
    private final MembershipState membership;
    private final GroupOffsets offsets;
    private final Reconciler reconciler;
    /** Created by the first subscribe; read by membership signals from any thread. */
    private volatile Heartbeater heartbeater;
    private boolean subscribed;
    private Set<String> subscribedTopics = Set.of();
    private boolean subscribedRegex;
    private long nextAutoCommitMs;

    /**
     * @throws InvalidGroupIdException when the settings have no group.id: only consumers with one have a group
     */
    public ConsumerGroup(Context context) {
        this.context = context;
        this.settings = context.settings();
        this.groupId = settings.groupId().orElseThrow(() -> new InvalidGroupIdException("no group.id"));
        String memberId = UUID.randomUUID().toString();
        this.membership = new MembershipState(new MembershipState.Settings(groupId, memberId,
                settings.instanceId().orElse(""), context.clientId(), settings.assignor(),
                settings.sessionTimeoutMs(), settings.maxPollIntervalMs(), settings.heartbeatIntervalMs(),
                context.retryBackoffMs(), context.retryBackoffMaxMs()), new MembershipState.Signals() {
                    @Override
                    public void heartbeatNeeded() {
                        Heartbeater current = heartbeater;
                        if (current != null) {
                            current.wake();
                        }
                    }

                    @Override
                    public void taskReady() {
                        context.nudge().run();
                    }
                });
        this.offsets = new GroupOffsets(groupId, context.coordinators(), context.time(), context.retryBackoffMs(),
                context.retryBackoffMaxMs(), this::commitIdentity, context.nudge(),
                "tributary-consumer-commits-" + context.clientId());
        this.reconciler = new Reconciler(context, membership, offsets, settings.autoCommit());
        this.nextAutoCommitMs = context.time().milliseconds() + settings.autoCommitIntervalMs();
    }

    private MembershipState.Identity commitIdentity() {
        return subscribed ? membership.commitIdentity() : MembershipState.Identity.NON_MEMBER;
    }

    public boolean isSubscribed() {
        return subscribed;
    }

    /** Subscribes to topic names (replacing an earlier subscription). */
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        subscribedTopics = Set.copyOf(new TreeSet<>(topics));
        subscribedRegex = false;
        start(Subscription.newBuilder().addAllTopicNames(new TreeSet<>(topics)).build(), listener);
    }

    /** Subscribes to the topics whose whole names match {@code pattern}, resolved by the coordinator. */
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        subscribe(RegexFlags.inline(pattern), listener);
    }

    /** Subscribes to the topics whose whole names match {@code regex}, compiled and resolved by the coordinator. */
    public void subscribe(String regex, ConsumerRebalanceListener listener) {
        subscribedTopics = Set.of();
        subscribedRegex = true;
        start(Subscription.newBuilder().setTopicRegex(regex).build(), listener);
    }

    private void start(Subscription subscription, ConsumerRebalanceListener listener) {
        // A member stopped by a fatal error may still hold partitions: they go before joining again.
        reconciler.runTasks();
        reconciler.setListener(listener);
        subscribed = true;
        membership.subscribe(subscription, context.time().milliseconds());
        if (heartbeater == null) {
            heartbeater = new Heartbeater(membership, context.coordinators(), groupId, context.time(),
                    "tributary-consumer-heartbeat-" + context.clientId());
            heartbeater.start();
        }
    }

    /** The subscribed topic names; for a pattern, the topics of the partitions assigned now. */
    public Set<String> subscription() {
        if (!subscribed) {
            return Set.of();
        }
        if (!subscribedRegex) {
            return subscribedTopics;
        }
        Set<String> topics = new TreeSet<>();
        context.subscriptions().assignment().forEach(tp -> topics.add(tp.topic()));
        return Set.copyOf(topics);
    }

    /**
     * Gives up the partitions (auto-commit, then onPartitionsRevoked, or onPartitionsLost when the member
     * already lost them) and leaves the group with {@code leaveEpoch}, waiting for the answer until
     * {@code deadlineMs}.
     */
    public void leave(int leaveEpoch, long deadlineMs) {
        if (!subscribed) {
            return;
        }
        RuntimeException listenerError = null;
        try {
            reconciler.releaseAll(deadlineMs);
        } catch (RuntimeException e) {
            listenerError = e;
        }
        subscribed = false;
        CompletableFuture<Void> left = membership.leave(leaveEpoch, context.time().milliseconds());
        try {
            context.wakeups().awaitKeepingWakeup(left, context.time().milliseconds(), deadlineMs,
                    "leaving group '" + groupId + "'");
        } catch (TributaryException e) {
            log.info("Did not see the coordinator confirm that this consumer left group {}: {}", groupId,
                    e.getMessage());
        }
        subscribedTopics = Set.of();
        subscribedRegex = false;
        if (listenerError != null) {
            throw listenerError;
        }
    }

    /** The application entered poll(). */
    public void pollStarted() {
        membership.pollStarted();
    }

    /** The application leaves poll(). */
    public void pollEnded() {
        membership.pollEnded(context.time().milliseconds());
    }

    /**
     * What poll() does for the group before it collects records: runs completed commit callbacks,
     * follows the assignment (listener callbacks), surfaces a fatal membership error, auto-commits,
     * and moves committed-offset lookups along.
     *
     * @throws TributaryException a fatal membership error (e.g. FencedInstanceIdException), or what a
     *                            rebalance listener threw
     */
    public void poll(long nowMs) {
        offsets.runCompletedCallbacks();
        if (subscribed) {
            reconciler.runTasks();
            TributaryException fatal = membership.fatalError();
            if (fatal != null) {
                throw fatal;
            }
        }
        maybeAutoCommit(nowMs);
        reconciler.advanceCommittedLookup(nowMs);
    }

    /**
     * Gives partitions waiting for their committed offset one, blocking until {@code deadlineMs}
     * (for {@code position()}).
     */
    public void awaitCommittedPositions(long deadlineMs) {
        reconciler.awaitCommittedPositions(deadlineMs);
    }

    private void maybeAutoCommit(long nowMs) {
        if (!settings.autoCommit() || nowMs < nextAutoCommitMs || offsets.asyncCommitInFlight()) {
            return;
        }
        nextAutoCommitMs = nowMs + settings.autoCommitIntervalMs();
        if (subscribed && membership.state() != MembershipState.State.STABLE) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> consumed = consumedOffsets();
        if (!consumed.isEmpty()) {
            offsets.commitAsync(consumed, nowMs + context.requestTimeoutMs(), (committed, error) -> {
                if (error != null) {
                    log.warn("Auto-commit of offsets {} for group {} failed: {}", committed, groupId,
                            error.getMessage());
                }
            });
        }
    }

    /** The positions of every assigned partition that has one: what commitSync() without offsets commits. */
    public Map<TopicPartition, OffsetAndMetadata> consumedOffsets() {
        return reconciler.consumedOffsets();
    }

    public void commitSync(Map<TopicPartition, OffsetAndMetadata> toCommit, long deadlineMs) {
        offsets.runCompletedCallbacks();
        if (!toCommit.isEmpty()) {
            context.wakeups().await(offsets.commit(toCommit, deadlineMs), context.time().milliseconds(), deadlineMs,
                    "committing offsets for group '" + groupId + "'");
        }
        offsets.runCompletedCallbacks();
    }

    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> toCommit, OffsetCommitCallback callback) {
        offsets.runCompletedCallbacks();
        OffsetCommitCallback target = callback != null ? callback : (committed, error) -> {
            if (error != null) {
                log.warn("Asynchronous commit of offsets {} for group {} failed: {}", committed, groupId,
                        error.getMessage());
            }
        };
        offsets.commitAsync(toCommit, context.time().milliseconds() + context.defaultApiTimeoutMs(), target);
    }

    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, long deadlineMs) {
        offsets.runCompletedCallbacks();
        if (partitions.isEmpty()) {
            return Map.of();
        }
        return context.wakeups().await(offsets.fetch(partitions, deadlineMs), context.time().milliseconds(),
                deadlineMs, "fetching committed offsets of group '" + groupId + "'");
    }

    public ConsumerGroupMetadata groupMetadata() {
        return new ConsumerGroupMetadata(groupId, subscribed ? membership.memberEpoch() : -1,
                subscribed ? membership.memberId() : "", settings.instanceId());
    }

    public void enforceRebalance() {
        if (subscribed) {
            membership.requestRebalance(context.time().milliseconds());
        }
    }

    /**
     * Closes the group side: auto-commits (when enabled), gives up the partitions and leaves (-2 for a
     * static member, which keeps its assignment for its session timeout), all by {@code deadlineMs}.
     */
    public void close(long deadlineMs) {
        try {
            if (subscribed) {
                leave(settings.instanceId().isPresent() ? MembershipState.STATIC_LEAVE_EPOCH
                        : MembershipState.LEAVE_EPOCH, deadlineMs);
            } else if (settings.autoCommit()) {
                reconciler.commitConsumedBeforeRelease(deadlineMs, false);
            }
        } finally {
            long leftMs = Math.max(0, deadlineMs - context.time().milliseconds());
            if (heartbeater != null) {
                heartbeater.close(leftMs);
            }
            offsets.close(Math.max(0, deadlineMs - context.time().milliseconds()));
        }
    }
}
