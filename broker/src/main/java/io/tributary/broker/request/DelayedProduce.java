package io.tributary.broker.request;

import io.tributary.broker.partition.DelayedOperation;
import io.tributary.broker.partition.Partition;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * An acks=all produce waiting until each appended partition's high watermark reaches the end of
 * what was appended (or the partition fails, or the timeout passes).
 */
final class DelayedProduce extends DelayedOperation {

    /**
     * One partition of the request. {@code partition} is null when the append already failed;
     * {@code requiredOffset} is the offset the high watermark must reach while the partition is still
     * led here at {@code leaderEpoch} (the epoch the data was appended under); then at least
     * {@code minInsyncReplicas} must be in sync.
     */
    record PartitionStatus(Partition partition, long requiredOffset, int leaderEpoch, int minInsyncReplicas,
                           PartitionProduceResponse.Builder result) {

        static PartitionStatus failed(PartitionProduceResponse.Builder result) {
            return new PartitionStatus(null, -1, -1, 0, result);
        }

        boolean done() {
            return partition == null || partition.isOffline() || partition.isRemoved() || reachedOrDeposed();
        }

        /**
         * The high watermark is read before the role: if the partition is still led at the epoch of
         * the append afterwards, it was led there all along, so that high watermark was this
         * leader's and covers this leader's data.
         */
        private boolean reachedOrDeposed() {
            boolean reached = partition.highWatermark() >= requiredOffset;
            return reached || !partition.isLeaderAt(leaderEpoch);
        }
    }

    private final long correlationId;
    private final List<PartitionStatus> statuses;
    private final CompletableFuture<ProduceResponse> future;
    private final BooleanSupplier shuttingDown;

    /** @param shuttingDown whether an expiry now is the node shutting down rather than the timeout */
    DelayedProduce(long correlationId, List<PartitionStatus> statuses, CompletableFuture<ProduceResponse> future,
                   BooleanSupplier shuttingDown) {
        this.correlationId = correlationId;
        this.statuses = List.copyOf(statuses);
        this.future = future;
        this.shuttingDown = shuttingDown;
    }

    List<TopicPartition> waitingOn() {
        return statuses.stream().filter(s -> s.partition() != null).map(s -> s.partition().topicPartition()).toList();
    }

    @Override
    protected boolean isSatisfied() {
        return statuses.stream().allMatch(PartitionStatus::done);
    }

    @Override
    protected void onComplete(boolean expired) {
        future.complete(response(correlationId, statuses, false, expired, expired && shuttingDown.getAsBoolean()));
    }

    /**
     * Builds the response; with {@code acksNone} no offsets are reported; with {@code shutdown} the
     * wait ended because the node is stopping.
     */
    static ProduceResponse response(long correlationId, List<PartitionStatus> statuses, boolean acksNone,
                                    boolean expired, boolean shutdown) {
        ProduceResponse.Builder response = ProduceResponse.newBuilder().setCorrelationId(correlationId);
        for (PartitionStatus status : statuses) {
            PartitionProduceResponse.Builder result = status.result();
            Partition partition = status.partition();
            if (partition != null && partition.isRemoved()) {
                result.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION).setBaseOffset(-1)
                        .setErrorMessage("partition " + partition.topicPartition()
                                + " was deleted before the write was committed");
            } else if (partition != null && partition.isOffline()) {
                ApiException failure = partition.failure();
                result.setErrorCode(failure.errorCode()).setErrorMessage("partition " + partition.topicPartition()
                        + " is offline: " + failure.getMessage()).setBaseOffset(-1);
            } else if (partition != null && !acksNone) {
                outcome(status, expired, shutdown, result);
            }
            if (acksNone) {
                result.setBaseOffset(-1);
            }
            response.addPartitions(result);
        }
        return response.build();
    }

    /** Sets the error of a partition whose append succeeded but whose wait did not. */
    private static void outcome(PartitionStatus status, boolean expired, boolean shutdown,
                                PartitionProduceResponse.Builder result) {
        Partition partition = status.partition();
        long highWatermark = partition.highWatermark();
        boolean reached = highWatermark >= status.requiredOffset();
        if (!reached && shutdown) {
            result.setErrorCode(ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE).setBaseOffset(-1)
                    .setErrorMessage("the node shut down before the write to " + partition.topicPartition()
                            + " was known to be committed");
        } else if (!partition.isLeaderAt(status.leaderEpoch())) {
            result.setErrorCode(ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER).setBaseOffset(-1)
                    .setErrorMessage("leadership of " + partition.topicPartition() + " moved (leader epoch "
                            + status.leaderEpoch() + " ended) before the write was known to be committed");
        } else if (!reached && expired) {
            result.setErrorCode(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT)
                    .setErrorMessage("timed out waiting for the high watermark of " + partition.topicPartition()
                            + " to reach " + status.requiredOffset() + " (it is " + highWatermark + ")");
        } else if (reached && partition.isr().size() < status.minInsyncReplicas()) {
            result.setErrorCode(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND)
                    .setErrorMessage("the write to " + partition.topicPartition() + " was committed with "
                            + partition.isr().size() + " in-sync replica(s) " + partition.isr()
                            + ", fewer than min.insync.replicas " + status.minInsyncReplicas());
        }
    }
}
