package io.tributary.client.consumer.internal;

import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.OffsetCommitCallback;
import io.tributary.client.internal.Backoff;
import io.tributary.client.internal.GroupCoordinators;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.CommitFailedException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.FencedMemberEpochException;
import io.tributary.common.errors.InterruptException;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.errors.UnknownMemberIdException;
import io.tributary.proto.v1.CommittedOffset;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitPartitionResult;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.OffsetFetchRequest;
import io.tributary.proto.v1.OffsetFetchResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits and fetches a group's offsets (OffsetCommit / OffsetFetch to the coordinator), retrying
 * coordinator moves, retriable errors and STALE_MEMBER_EPOCH (with the member's newest epoch) until
 * each call's deadline. Every call runs on one background thread in submission order, so a commit
 * never overtakes an earlier one and {@code committed()} sees every earlier commit. Completion
 * callbacks of {@link #commitAsync} are queued for the application thread, which runs them in
 * {@link #runCompletedCallbacks}, as Kafka runs them inside poll and commit calls.
 */
public final class GroupOffsets {

    private static final Logger log = LoggerFactory.getLogger(GroupOffsets.class);

    private final String groupId;
    private final GroupCoordinators coordinators;
    private final Time time;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final Supplier<MembershipState.Identity> identity;
    private final Runnable completionSignal;
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<Runnable> completedCallbacks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger asyncInFlight = new AtomicInteger();

    /**
     * @param identity         who commits (evaluated at each attempt, so a retry carries the newest epoch);
     *                         throws {@link CommitFailedException} when the consumer may not commit now
     * @param completionSignal wakes the application thread when an asynchronous call completes
     */
    public GroupOffsets(String groupId, GroupCoordinators coordinators, Time time, long retryBackoffMs,
                        long retryBackoffMaxMs, Supplier<MembershipState.Identity> identity,
                        Runnable completionSignal, String threadName) {
        this.groupId = groupId;
        this.coordinators = coordinators;
        this.time = time;
        this.retryBackoffMs = retryBackoffMs;
        this.retryBackoffMaxMs = retryBackoffMaxMs;
        this.identity = identity;
        this.completionSignal = completionSignal;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Commits {@code offsets}, completing when the coordinator stored them or when the deadline passed. */
    public CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineMs) {
        Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
        return CompletableFuture.runAsync(() -> commitWithRetries(copy, deadlineMs), executor);
    }

    /** {@link #commit} whose outcome goes to {@code callback} on the application thread. */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineMs,
                            OffsetCommitCallback callback) {
        asyncInFlight.incrementAndGet();
        commit(offsets, deadlineMs).whenComplete((ignored, error) -> {
            Exception failure = error == null ? null : asException(Errors.unwrap(error));
            completedCallbacks.add(() -> callback.onComplete(offsets, failure));
            asyncInFlight.decrementAndGet();
            completionSignal.run();
        });
    }

    /** Whether an asynchronous commit has not completed yet. */
    public boolean asyncCommitInFlight() {
        return asyncInFlight.get() > 0;
    }

    /** Runs the callbacks of completed asynchronous commits; call on the application thread. */
    public void runCompletedCallbacks() {
        Runnable callback;
        while ((callback = completedCallbacks.poll()) != null) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.error("An offset commit callback of group {} failed", groupId, e);
            }
        }
    }

    /** The committed offsets of {@code partitions}; partitions the group has none for map to null. */
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> fetch(Set<TopicPartition> partitions,
                                                                          long deadlineMs) {
        Set<TopicPartition> copy = Set.copyOf(partitions);
        return CompletableFuture.supplyAsync(() -> fetchWithRetries(copy, deadlineMs), executor);
    }

    private void commitWithRetries(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineMs) {
        for (int failures = 0; ; failures++) {
            MembershipState.Identity who = identity.get();
            TributaryException error;
            try {
                OffsetCommitResponse response = coordinators.stub(groupId).offsetCommit(commitRequest(who, offsets));
                error = Errors.exceptionFor(response.getErrorCode(), response.getErrorMessage());
                if (error == null) {
                    throwFirstPartitionError(response);
                    return;
                }
                if (GroupCoordinators.needsRediscovery(response.getErrorCode())) {
                    coordinators.invalidate(groupId);
                }
            } catch (RuntimeException e) {
                error = rpcFailure(e);
            }
            if (who != MembershipState.Identity.NON_MEMBER
                    && (error instanceof UnknownMemberIdException || error instanceof FencedMemberEpochException)) {
                throw new CommitFailedException("the commit failed: member " + who.memberId() + " (epoch "
                        + who.epoch() + ") is no longer in group '" + groupId + "' (" + error.getMessage()
                        + "); its partitions may have moved to another member", error);
            }
            backOffOrThrow(error, failures, deadlineMs, "committing offsets");
        }
    }

    private OffsetCommitRequest commitRequest(MembershipState.Identity who,
                                              Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<String, OffsetCommitTopic.Builder> topics = new TreeMap<>();
        offsets.forEach((tp, offset) -> topics.computeIfAbsent(tp.topic(),
                        topic -> OffsetCommitTopic.newBuilder().setTopic(topic))
                .addPartitions(OffsetCommitPartition.newBuilder().setPartition(tp.partition())
                        .setCommittedOffset(offset.offset()).setCommittedLeaderEpoch(offset.leaderEpoch().orElse(-1))
                        .setMetadata(offset.metadata())));
        OffsetCommitRequest.Builder request = OffsetCommitRequest.newBuilder().setGroupId(groupId)
                .setMemberId(who.memberId()).setMemberEpoch(who.epoch());
        topics.values().forEach(request::addTopics);
        return request.build();
    }

    /** Per-partition outcomes: partitions without error were committed; the first error is the call's. */
    private static void throwFirstPartitionError(OffsetCommitResponse response) {
        for (OffsetCommitPartitionResult result : response.getPartitionsList()) {
            if (result.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                throw Errors.exceptionFor(result.getErrorCode(), "committing the offset of " + result.getTopic() + "-"
                        + result.getPartition() + " failed: " + result.getErrorMessage());
            }
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> fetchWithRetries(Set<TopicPartition> partitions, long deadlineMs) {
        OffsetFetchRequest request = OffsetFetchRequest.newBuilder().setGroupId(groupId)
                .addAllTopics(PartitionSets.toProto(partitions)).build();
        for (int failures = 0; ; failures++) {
            TributaryException error;
            try {
                OffsetFetchResponse response = coordinators.stub(groupId).offsetFetch(request);
                error = Errors.exceptionFor(response.getErrorCode(), response.getErrorMessage());
                if (error == null) {
                    return committedOffsets(partitions, response);
                }
                if (GroupCoordinators.needsRediscovery(response.getErrorCode())) {
                    coordinators.invalidate(groupId);
                }
            } catch (RuntimeException e) {
                error = rpcFailure(e);
            }
            backOffOrThrow(error, failures, deadlineMs, "fetching committed offsets");
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(Set<TopicPartition> partitions,
                                                                         OffsetFetchResponse response) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        partitions.forEach(tp -> result.put(tp, null));
        for (CommittedOffset offset : response.getOffsetsList()) {
            TopicPartition tp = new TopicPartition(offset.getTopic(), offset.getPartition());
            if (offset.getCommittedOffset() >= 0 && partitions.contains(tp)) {
                result.put(tp, new OffsetAndMetadata(offset.getCommittedOffset(),
                        Optional.of(offset.getCommittedLeaderEpoch()), offset.getMetadata()));
            }
        }
        return result;
    }

    /** A failed call, or FindCoordinator's failure: the coordinator is looked up again before retrying. */
    private TributaryException rpcFailure(RuntimeException e) {
        TributaryException error = e instanceof TributaryException known ? known
                : GrpcErrors.fromThrowable(e, "the coordinator of group '" + groupId + "'");
        if (error instanceof RetriableException) {
            coordinators.invalidate(groupId);
        }
        return error;
    }

    private void backOffOrThrow(TributaryException error, int failures, long deadlineMs, String what) {
        if (!(error instanceof RetriableException)) {
            throw error;
        }
        long waitMs = Backoff.exponentialMs(retryBackoffMs, retryBackoffMaxMs, failures);
        if (time.milliseconds() + waitMs >= deadlineMs) {
            throw new TimeoutException(what + " for group '" + groupId + "' timed out; last error: "
                    + error.getMessage());
        }
        log.debug("{} for group {} failed, retrying in {} ms: {}", what, groupId, waitMs, error.getMessage());
        try {
            Thread.sleep(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("interrupted while " + what, e);
        }
    }

    private static Exception asException(Throwable error) {
        return error instanceof Exception e ? e : new RuntimeException(error);
    }

    /** Stops the background thread after the calls already submitted, waiting up to {@code timeoutMs}. */
    public void close(long timeoutMs) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        runCompletedCallbacks();
    }
}
