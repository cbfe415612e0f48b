package io.tributary.broker.replica;

import io.tributary.broker.partition.Partition;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.Errors;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.proto.controller.v1.IsrChangeResult;
import io.tributary.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends leaders' ISR changes to the controller (AlterPartition): one request in flight at a time,
 * carrying every change proposed meanwhile (one per partition, the latest). Each answer goes back
 * to its partition:
 * <ul>
 *   <li>committed: the partition takes the new state at once;</li>
 *   <li>refused for good (the replica cannot join, the request was invalid, this node no longer
 *       leads): the proposal is dropped and later events may propose again;</li>
 *   <li>not known (the request failed or timed out, or a stale partition epoch — which a retry of
 *       a change that did commit also gets): the proposal stays, still counting for the high
 *       watermark, and is sent again after {@code retryBackoffMs} for as long as it is pending;
 *       newer metadata ends it.</li>
 * </ul>
 * Thread-safe.
 */
public final class IsrChangeSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IsrChangeSender.class);

    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA,
            ErrorCode.ERROR_CODE_INVALID_REQUEST, ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER,
            ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);

    private record Pending(Partition partition, IsrChange change) {
    }

    private final int localId;
    private final LongSupplier brokerEpoch;
    private final Function<AlterPartitionRequest, CompletableFuture<AlterPartitionResponse>> controller;
    private final Time time;
    private final Executor retryDelay;
    private final Map<TopicPartition, Pending> queued = new LinkedHashMap<>();
    private boolean inFlight;
    private boolean closed;

    public IsrChangeSender(int localId, LongSupplier brokerEpoch,
                           Function<AlterPartitionRequest, CompletableFuture<AlterPartitionResponse>> controller,
                           long retryBackoffMs, Time time) {
        this.localId = localId;
        this.brokerEpoch = brokerEpoch;
        this.controller = controller;
        this.time = time;
        this.retryDelay = CompletableFuture.delayedExecutor(retryBackoffMs, TimeUnit.MILLISECONDS);
    }

    /** Queues {@code change} of the leader {@code partition}; sends at once when nothing is in flight. */
    public void submitIsrChange(Partition partition, IsrChange change) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queued.put(partition.topicPartition(), new Pending(partition, change));
        }
        maybeSend();
    }

    private void maybeSend() {
        List<Pending> batch;
        synchronized (this) {
            if (inFlight || queued.isEmpty() || closed) {
                return;
            }
            inFlight = true;
            batch = new ArrayList<>(queued.values());
            queued.clear();
        }
        AlterPartitionRequest.Builder request = AlterPartitionRequest.newBuilder().setBrokerId(localId)
                .setBrokerEpoch(brokerEpoch.getAsLong());
        batch.forEach(p -> request.addChanges(p.change()));
        CompletableFuture<AlterPartitionResponse> answer;
        try {
            answer = controller.apply(request.build());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, error) -> {
            try {
                for (int i = 0; i < batch.size(); i++) {
                    IsrChangeResult result = error == null && i < response.getResultsCount()
                            ? response.getResults(i) : null;
                    deliver(batch.get(i), result, error);
                }
            } finally {
                synchronized (this) {
                    inFlight = false;
                }
                maybeSend();
            }
        });
    }

    private void deliver(Pending pending, IsrChangeResult result, Throwable error) {
        Partition partition = pending.partition();
        IsrChange change = pending.change();
        if (result != null && result.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
            log.info("Partition {}: ISR is now {} (partition epoch {})", partition.topicPartition(),
                    result.getIsrList(), result.getPartitionEpoch());
            partition.onIsrChangeCommitted(change.getLeaderEpoch(), result.getIsrList(), result.getPartitionEpoch(),
                    time.milliseconds());
        } else if (result != null && REFUSALS.contains(result.getErrorCode())) {
            log.info("Partition {}: ISR change to {} refused ({}: {})", partition.topicPartition(),
                    change.getNewIsrList(), result.getErrorCode(), result.getErrorMessage());
            partition.onIsrChangeRefused(change);
        } else {
            String why = result != null ? result.getErrorCode() + ": " + result.getErrorMessage()
                    : error != null ? String.valueOf(Errors.unwrap(error).getMessage()) : "no result in the answer";
            log.info("Partition {}: ISR change to {} not confirmed ({}); it stays pending and is sent again",
                    partition.topicPartition(), change.getNewIsrList(), why);
            retryDelay.execute(() -> {
                if (partition.isPending(change)) {
                    submitIsrChange(partition, change);
                }
            });
        }
    }

    /** Stops sending: queued changes and retries are dropped (the node is shutting down). */
    @Override
    public synchronized void close() {
        closed = true;
        queued.clear();
    }
}
