package io.tributary.broker.request;

import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.image.TopicImage;
import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.InvalidTopicException;
import io.tributary.common.errors.NotEnoughReplicasException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceResponse;
import io.tributary.common.record.ValidationResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Handles produce requests: validates the request, appends each partition's data on this leader,
 * and answers according to acks — at once for 0 and 1, and for all once every appended partition's
 * high watermark covers its data (or at the timeout). One partition's failure never affects another.
 *
 * <p>Thread-safe; appends for the same partition are ordered by the partition's lock, so a stream's
 * requests, handled one after another, are appended in the order sent.
 */
public final class ProduceHandler {

    private final MetadataLoader metadata;
    private final PartitionManager partitions;
    private final DelayedOperationPurgatory purgatory;
    private final Time time;
    private final int defaultTimeoutMs;
    private final TopicTraffic traffic;

    public ProduceHandler(MetadataLoader metadata, PartitionManager partitions, DelayedOperationPurgatory purgatory,
                          Time time, int defaultTimeoutMs) {
        this(metadata, partitions, purgatory, time, defaultTimeoutMs, TopicTraffic.NONE);
    }

    /** @param traffic told of every append */
    public ProduceHandler(MetadataLoader metadata, PartitionManager partitions, DelayedOperationPurgatory purgatory,
                          Time time, int defaultTimeoutMs, TopicTraffic traffic) {
        this.traffic = traffic;
        this.metadata = metadata;
        this.partitions = partitions;
        this.purgatory = purgatory;
        this.time = time;
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    /**
     * @throws InvalidRequestException for request-level problems (nothing is appended)
     */
    public CompletableFuture<ProduceResponse> produce(ProduceRequest request) {
        validate(request);
        Acks acks = request.getAcks() == Acks.ACKS_UNSPECIFIED ? Acks.ACKS_ALL : request.getAcks();
        if (acks == Acks.UNRECOGNIZED) {
            throw new InvalidRequestException("acks has an unknown value " + request.getAcksValue());
        }
        MetadataImage image = metadata.image();
        List<DelayedProduce.PartitionStatus> statuses = new ArrayList<>();
        for (PartitionProduceData data : request.getPartitionsList()) {
            statuses.add(appendOne(image, data, acks));
        }
        if (acks != Acks.ACKS_ALL) {
            return CompletableFuture.completedFuture(DelayedProduce.response(request.getCorrelationId(), statuses,
                    acks == Acks.ACKS_NONE, false, false));
        }
        CompletableFuture<ProduceResponse> future = new CompletableFuture<>();
        DelayedProduce delayed = new DelayedProduce(request.getCorrelationId(), statuses, future, purgatory::isClosed);
        int timeoutMs = request.getTimeoutMs() == 0 ? defaultTimeoutMs : request.getTimeoutMs();
        purgatory.tryCompleteElseWatch(delayed, delayed.waitingOn(), timeoutMs);
        return future;
    }

    private static void validate(ProduceRequest request) {
        RequestChecks.nonNegative("timeout_ms", request.getTimeoutMs());
        RequestChecks.nonEmpty("partitions", request.getPartitionsCount());
        RequestChecks checks = new RequestChecks("produce request");
        for (int i = 0; i < request.getPartitionsCount(); i++) {
            PartitionProduceData data = request.getPartitions(i);
            checks.entry("partitions", i, data.getTopic(), data.getPartition());
            if (data.getDataCase() == PartitionProduceData.DataCase.DATA_NOT_SET) {
                throw new InvalidRequestException("partitions[" + i + "] has neither records nor record_batches");
            }
        }
    }

    private DelayedProduce.PartitionStatus appendOne(MetadataImage image, PartitionProduceData data, Acks acks) {
        PartitionProduceResponse.Builder result = PartitionProduceResponse.newBuilder().setTopic(data.getTopic())
                .setPartition(data.getPartition()).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
        try {
            Partition partition = resolve(image, data);
            int minInsyncReplicas = acks == Acks.ACKS_ALL ? partition.log().config().minInsyncReplicas() : 0;
            checkMinInsyncReplicas(partition, minInsyncReplicas);
            long nowMs = time.milliseconds();
            ByteBuffer batches = switch (data.getDataCase()) {
                case RECORDS -> RecordConversions.toBatch(data.getRecords(), nowMs);
                case RECORD_BATCHES -> RecordConversions.writableCopy(data.getRecordBatches());
                case DATA_NOT_SET -> throw new IllegalStateException("validated above");
            };
            Partition.LeaderAppend append = partition.appendAsLeader(batches, nowMs);
            ValidationResult appended = append.validation();
            traffic.produced(data.getTopic(), appended.sizeInBytes(), appended.recordCount());
            result.setErrorCode(ErrorCode.ERROR_CODE_NONE).setBaseOffset(appended.firstOffset())
                    .setLogAppendTimeMs(appended.logAppendTimeMs()).setLogStartOffset(partition.logStartOffset());
            return new DelayedProduce.PartitionStatus(partition, appended.lastOffset() + 1, append.leaderEpoch(),
                    minInsyncReplicas, result);
        } catch (ApiException e) {
            result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
            return DelayedProduce.PartitionStatus.failed(result);
        } catch (RuntimeException e) {
            result.setErrorCode(Errors.codeFor(e)).setErrorMessage(String.valueOf(e.getMessage()));
            return DelayedProduce.PartitionStatus.failed(result);
        }
    }

    private Partition resolve(MetadataImage image, PartitionProduceData data) {
        if (data.getPartition() < 0) {
            throw new UnknownTopicOrPartitionException("partition " + data.getPartition() + " of topic '"
                    + data.getTopic() + "' does not exist");
        }
        if (TopicImage.isInternal(data.getTopic()) && image.topic(data.getTopic()).isPresent()) {
            throw new InvalidTopicException("topic '" + data.getTopic() + "' is internal and cannot be produced to");
        }
        return partitions.partition(new TopicPartition(data.getTopic(), data.getPartition()), image);
    }

    /** acks=all refuses to append when fewer than min.insync.replicas are in sync: nothing becomes visible. */
    private static void checkMinInsyncReplicas(Partition partition, int minInsyncReplicas) {
        List<Integer> isr = partition.isr();
        if (isr.size() < minInsyncReplicas) {
            throw new NotEnoughReplicasException("partition " + partition.topicPartition() + " has " + isr.size()
                    + " in-sync replica(s) " + isr + "; min.insync.replicas is " + minInsyncReplicas);
        }
    }
}
