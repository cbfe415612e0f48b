package io.tributary.broker.request;

import io.tributary.broker.partition.DelayedOperation;
import io.tributary.broker.partition.Partition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.DeleteRecordsPartitionResult;
import io.tributary.proto.v1.DeleteRecordsResponse;
import io.tributary.proto.v1.ErrorCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * A DeleteRecords whose leader moved its log start offset, waiting until every in-sync replica has
 * too (Kafka's DelayedDeleteRecords): each waiting partition settles when its low watermark reaches
 * the requested offset, or when it stops being led here; at timeout_ms the unsettled ones answer
 * REQUEST_TIMED_OUT, at shutdown BROKER_NOT_AVAILABLE. Results are only written by
 * {@link #onComplete}, which runs once.
 *
 * <p>A partition that reached its offset stays reached: the low watermark can go down afterwards (a
 * proposed ISR member, a new leader epoch or a reassignment adds replicas that have not reported
 * yet), but every replica that was in sync then has deleted the records, which is what the answer
 * says. {@link #isSatisfied} latches the highest low watermark seen per partition (a monotonic,
 * thread-safe max: its only side effect), and {@link #onComplete} answers from that.
 */
final class DelayedDeleteRecords extends DelayedOperation {

    /** A partition deleted on the leader, waiting for its low watermark to reach {@code requiredOffset}. */
    record Waiting(DeleteRecordsPartitionResult.Builder result, Partition partition, long requiredOffset) {
    }

    private final List<DeleteRecordsPartitionResult.Builder> results;
    private final List<Waiting> waiting;
    private final AtomicLongArray reached;
    private final long timeoutMs;
    private final CompletableFuture<DeleteRecordsResponse> future;
    private final BooleanSupplier shuttingDown;

    /**
     * @param results every partition's result in request order; those in {@code waiting} are filled in here
     * @param shuttingDown whether an expiry now is the node shutting down rather than the timeout
     */
    DelayedDeleteRecords(List<DeleteRecordsPartitionResult.Builder> results, List<Waiting> waiting, long timeoutMs,
                         CompletableFuture<DeleteRecordsResponse> future, BooleanSupplier shuttingDown) {
        this.results = results;
        this.waiting = List.copyOf(waiting);
        this.reached = new AtomicLongArray(this.waiting.size());
        for (int i = 0; i < this.waiting.size(); i++) {
            reached.set(i, -1);
        }
        this.timeoutMs = timeoutMs;
        this.future = future;
        this.shuttingDown = shuttingDown;
    }

    @Override
    protected boolean isSatisfied() {
        boolean satisfied = true;
        for (int i = 0; i < waiting.size(); i++) {
            satisfied &= isSettled(i);
        }
        return satisfied;
    }

    /** Whether partition {@code i} reached its offset (latched) or stopped being led here. */
    private boolean isSettled(int i) {
        Waiting w = waiting.get(i);
        if (reached.get(i) >= w.requiredOffset()) {
            return true;
        }
        Partition partition = w.partition();
        if (partition.isRemoved() || partition.isOffline() || !partition.isLeader()) {
            return true;
        }
        try {
            return reached.accumulateAndGet(i, partition.lowWatermark(), Math::max) >= w.requiredOffset();
        } catch (ApiException e) {
            return true;
        }
    }

    @Override
    protected void onComplete(boolean expired) {
        boolean shutdown = expired && shuttingDown.getAsBoolean();
        for (int i = 0; i < waiting.size(); i++) {
            isSettled(i); // one last look: latches a low watermark reached since the last check
            settle(waiting.get(i), reached.get(i), expired, shutdown);
        }
        DeleteRecordsResponse.Builder response = DeleteRecordsResponse.newBuilder();
        results.forEach(response::addPartitions);
        future.complete(response.build());
    }

    private void settle(Waiting w, long reachedLowWatermark, boolean expired, boolean shutdown) {
        Partition partition = w.partition();
        DeleteRecordsPartitionResult.Builder result = w.result();
        if (reachedLowWatermark >= w.requiredOffset()) {
            result.setErrorCode(ErrorCode.ERROR_CODE_NONE).setLowWatermark(reachedLowWatermark);
            return;
        }
        result.setLowWatermark(-1);
        try {
            if (partition.isRemoved()) {
                throw new UnknownTopicOrPartitionException("partition " + partition.topicPartition()
                        + " was deleted");
            }
            partition.ensureHealthy();
            if (shutdown) {
                result.setErrorCode(ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE).setErrorMessage("the node shut down "
                        + "before every in-sync replica " + partition.isr() + " of " + partition.topicPartition()
                        + " reported deleting the records below offset " + w.requiredOffset()
                        + " (the leader deleted them)");
                return;
            }
            long lowWatermark = partition.lowWatermark(); // throws NOT_LEADER_OR_FOLLOWER once deposed
            if (expired) {
                result.setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT).setErrorMessage(
                        "the leader of " + partition.topicPartition() + " deleted the records below offset "
                        + w.requiredOffset() + ", but within timeout_ms " + timeoutMs + " not every in-sync replica "
                        + partition.isr() + " reported it (low watermark " + lowWatermark + ")");
            } else {
                // Settled by a deposition, yet led here again by now (a later leader epoch).
                result.setErrorCode(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER).setErrorMessage("leadership of "
                        + partition.topicPartition() + " moved before every in-sync replica reported deleting the "
                        + "records below offset " + w.requiredOffset());
            }
        } catch (RuntimeException e) {
            result.setErrorCode(Errors.codeFor(e)).setErrorMessage(String.valueOf(e.getMessage()));
        }
    }
}
