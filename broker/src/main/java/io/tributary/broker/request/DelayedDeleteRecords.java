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

/**
 * A DeleteRecords whose leader moved its log start offset, waiting until every in-sync replica has
 * too (Kafka's DelayedDeleteRecords): each waiting partition settles when its low watermark reaches
 * the requested offset, or when it stops being led here; at timeout_ms the unsettled ones answer
 * REQUEST_TIMED_OUT. Results are only written by {@link #onComplete}, which runs once.
 */
final class DelayedDeleteRecords extends DelayedOperation {

    /** A partition deleted on the leader, waiting for its low watermark to reach {@code requiredOffset}. */
    record Waiting(DeleteRecordsPartitionResult.Builder result, Partition partition, long requiredOffset) {
    }

    private final List<DeleteRecordsPartitionResult.Builder> results;
    private final List<Waiting> waiting;
    private final long timeoutMs;
    private final CompletableFuture<DeleteRecordsResponse> future;

    /** @param results every partition's result in request order; those in {@code waiting} are filled in here */
    DelayedDeleteRecords(List<DeleteRecordsPartitionResult.Builder> results, List<Waiting> waiting, long timeoutMs,
                         CompletableFuture<DeleteRecordsResponse> future) {
        this.results = results;
        this.waiting = List.copyOf(waiting);
        this.timeoutMs = timeoutMs;
        this.future = future;
    }

    @Override
    protected boolean isSatisfied() {
        for (Waiting w : waiting) {
            if (!isSettled(w)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSettled(Waiting w) {
        Partition partition = w.partition();
        if (partition.isRemoved() || partition.isOffline() || !partition.isLeader()) {
            return true;
        }
        try {
            return partition.lowWatermark() >= w.requiredOffset();
        } catch (ApiException e) {
            return true;
        }
    }

    @Override
    protected void onComplete(boolean expired) {
        for (Waiting w : waiting) {
            settle(w);
        }
        DeleteRecordsResponse.Builder response = DeleteRecordsResponse.newBuilder();
        results.forEach(response::addPartitions);
        future.complete(response.build());
    }

    private void settle(Waiting w) {
        Partition partition = w.partition();
        DeleteRecordsPartitionResult.Builder result = w.result();
        try {
            if (partition.isRemoved()) {
                throw new UnknownTopicOrPartitionException("partition " + partition.topicPartition()
                        + " was deleted");
            }
            partition.ensureHealthy();
            long lowWatermark = partition.lowWatermark();
            if (lowWatermark >= w.requiredOffset()) {
                result.setErrorCode(ErrorCode.ERROR_CODE_NONE).setLowWatermark(lowWatermark);
            } else {
                result.setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT).setLowWatermark(-1).setErrorMessage(
                        "the leader of " + partition.topicPartition() + " deleted the records below offset "
                        + w.requiredOffset() + ", but within timeout_ms " + timeoutMs + " not every in-sync replica "
                        + partition.isr() + " reported it (low watermark " + lowWatermark + ")");
            }
        } catch (RuntimeException e) {
            result.setErrorCode(Errors.codeFor(e)).setErrorMessage(String.valueOf(e.getMessage())).setLowWatermark(-1);
        }
    }
}
