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
 *   <li>refused for good (the replica cannot join, or the request was invalid — answers the
 *       controller gives only when the epochs matched): the proposal is dropped and later events
 *       may propose again;</li>
 *   <li>anything else is not known (the request failed or timed out; a stale partition epoch, an
 *       older leader epoch or another leader may all answer a retry of a change that did commit):
 *       the proposal stays, still counting for the high watermark, and is sent again with a
 *       backoff from {@code retryBackoffMs} doubling up to 5 s, for as long as it is pending;
 *       newer metadata ends it.</li>
 * </ul>
 * Thread-safe.
 */
public final class IsrChangeSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IsrChangeSender.class);

    /**
     * The answers that prove the change was not applied: the controller checks them only after the
     * leader, leader epoch and partition epoch matched. Any other error may answer a retry of a
     * change that did commit (a lost answer), so it is not a refusal.
     */
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA,
            ErrorCode.ERROR_CODE_INVALID_REQUEST);
    private static final long MAX_RETRY_BACKOFF_MS = 5_000;

    /** A change to send; {@code attempt} counts the sends whose outcome stayed unknown. */
    private record Pending(Partition partition, IsrChange change, int attempt) {
    }

    private final int localId;
    private final LongSupplier brokerEpoch;
    private final Function<AlterPartitionRequest, CompletableFuture<AlterPartitionResponse>> controller;
    private final Time time;
    private final long retryBackoffMs;
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
        this.retryBackoffMs = retryBackoffMs;
    }

    /** Queues {@code change} of the leader {@code partition}; sends at once when nothing is in flight. */
    public void submitIsrChange(Partition partition, IsrChange change) {
        submit(new Pending(partition, change, 0));
    }

    private void submit(Pending pending) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queued.put(pending.partition().topicPartition(), pending);
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
            long delayMs = Math.min(MAX_RETRY_BACKOFF_MS, retryBackoffMs << Math.min(pending.attempt(), 16));
            if (pending.attempt() == 0) {
                log.info("Partition {}: ISR change to {} not confirmed ({}); it stays pending and is sent again "
                        + "until newer metadata settles it", partition.topicPartition(), change.getNewIsrList(), why);
            } else {
                log.debug("Partition {}: ISR change to {} still not confirmed after {} sends ({})",
                        partition.topicPartition(), change.getNewIsrList(), pending.attempt() + 1, why);
            }
            CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(() -> {
                if (partition.isPending(change)) {
                    submit(new Pending(partition, change, pending.attempt() + 1));
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
