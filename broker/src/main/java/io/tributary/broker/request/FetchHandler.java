package io.tributary.broker.request;

import com.google.protobuf.UnsafeByteOperations;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.FencedLeaderEpochException;
import io.tributary.common.errors.UnknownLeaderEpochException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchResponse;
import io.tributary.proto.v1.RecordFormat;
import io.tributary.storage.FetchDataInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Handles long-poll fetches: answers at once when min_bytes are available (or a partition has an
 * error, or max_wait_ms is 0), and otherwise parks the request in the purgatory, where high-watermark
 * events re-check it and a timer answers it at max_wait_ms. Thread-safe.
 */
public final class FetchHandler {

    static final int DEFAULT_PARTITION_MAX_BYTES = 1 << 20;

    private final MetadataLoader metadata;
    private final PartitionManager partitions;
    private final DelayedOperationPurgatory purgatory;
    private final int defaultMaxBytes;
    private final TopicTraffic traffic;

    public FetchHandler(MetadataLoader metadata, PartitionManager partitions, DelayedOperationPurgatory purgatory,
                        int defaultMaxBytes) {
        this(metadata, partitions, purgatory, defaultMaxBytes, TopicTraffic.NONE);
    }

    /** @param traffic told of the bytes every answer carries */
    public FetchHandler(MetadataLoader metadata, PartitionManager partitions, DelayedOperationPurgatory purgatory,
                        int defaultMaxBytes, TopicTraffic traffic) {
        this.traffic = traffic;
        this.metadata = metadata;
        this.partitions = partitions;
        this.purgatory = purgatory;
        this.defaultMaxBytes = defaultMaxBytes;
    }

    /** @throws io.tributary.common.errors.InvalidRequestException for request-level problems */
    public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
        List<TopicPartition> keys = validate(request);
        CompletableFuture<FetchResponse> future = new CompletableFuture<>();
        DelayedFetch delayed = new DelayedFetch(this, request, future);
        if (request.getMaxWaitMs() == 0 || request.getMinBytes() == 0) {
            future.complete(readAll(request));
        } else {
            purgatory.tryCompleteElseWatch(delayed, keys, request.getMaxWaitMs());
        }
        return future;
    }

    private static List<TopicPartition> validate(FetchRequest request) {
        RequestChecks.nonNegative("max_wait_ms", request.getMaxWaitMs());
        RequestChecks.nonNegative("min_bytes", request.getMinBytes());
        RequestChecks.nonNegative("max_bytes", request.getMaxBytes());
        RequestChecks.nonEmpty("partitions", request.getPartitionsCount());
        RequestChecks checks = new RequestChecks("fetch request");
        List<TopicPartition> keys = new ArrayList<>();
        for (int i = 0; i < request.getPartitionsCount(); i++) {
            FetchPartition p = request.getPartitions(i);
            RequestChecks.nonNegative("partitions[" + i + "].partition_max_bytes", p.getPartitionMaxBytes());
            TopicPartition tp = checks.entry("partitions", i, p.getTopic(), p.getPartition());
            if (tp != null) {
                keys.add(tp);
            }
        }
        return keys;
    }

    /**
     * Whether the request can be answered now: some partition has an error, or at least min_bytes
     * of committed data are readable. Reads only; with min_bytes 1 (the usual long poll) it compares
     * offsets and touches no log.
     */
    boolean isSatisfied(FetchRequest request) {
        long available = 0;
        for (FetchPartition p : request.getPartitionsList()) {
            try {
                Partition partition = resolve(p);
                if (partition.highWatermark() <= p.getFetchOffset()) {
                    if (p.getFetchOffset() > partition.logEndOffset() || p.getFetchOffset() < partition.logStartOffset()) {
                        return true;
                    }
                    continue;
                }
                if (request.getMinBytes() <= 1) {
                    return true;
                }
                available += partition.read(p.getFetchOffset(), partitionMaxBytes(p), true).records().remaining();
            } catch (RuntimeException e) {
                return true;
            }
            if (available >= request.getMinBytes()) {
                return true;
            }
        }
        return false;
    }

    /** Reads every requested partition within the response byte budget. */
    FetchResponse readAll(FetchRequest request) {
        int budget = request.getMaxBytes() == 0 ? defaultMaxBytes : request.getMaxBytes();
        boolean asRecords = request.getRecordFormat() != RecordFormat.RECORD_FORMAT_BATCHES;
        FetchResponse.Builder response = FetchResponse.newBuilder();
        boolean returnedData = false;
        for (FetchPartition p : request.getPartitionsList()) {
            FetchPartitionResponse.Builder result = FetchPartitionResponse.newBuilder().setTopic(p.getTopic())
                    .setPartition(p.getPartition()).setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
            try {
                Partition partition = resolve(p);
                // Set before reading, so an out-of-range answer tells the client where the log is.
                result.setHighWatermark(partition.highWatermark()).setLastStableOffset(partition.highWatermark())
                        .setLogStartOffset(partition.logStartOffset());
                int maxBytes = Math.min(partitionMaxBytes(p), Math.max(budget, 0));
                FetchDataInfo data = partition.read(p.getFetchOffset(), maxBytes, !returnedData);
                ByteBuffer records = data.records();
                int size = records.remaining();
                budget -= size;
                returnedData |= size > 0;
                if (size > 0) {
                    traffic.fetched(p.getTopic(), records, p.getFetchOffset());
                }
                long hw = partition.highWatermark();
                result.setErrorCode(ErrorCode.ERROR_CODE_NONE).setHighWatermark(hw).setLastStableOffset(hw)
                        .setLogStartOffset(partition.logStartOffset());
                if (asRecords) {
                    result.setRecords(RecordConversions.toRecords(records, p.getFetchOffset()));
                } else {
                    result.setRecordBatches(UnsafeByteOperations.unsafeWrap(records));
                }
            } catch (ApiException e) {
                result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
            } catch (RuntimeException e) {
                result.setErrorCode(Errors.codeFor(e)).setErrorMessage(String.valueOf(e.getMessage()));
            }
            response.addPartitions(result);
        }
        return response.build();
    }

    private Partition resolve(FetchPartition p) {
        if (p.getPartition() < 0) {
            throw new UnknownTopicOrPartitionException("partition " + p.getPartition() + " of topic '" + p.getTopic()
                    + "' does not exist");
        }
        Partition partition = partitions.partition(new TopicPartition(p.getTopic(), p.getPartition()),
                metadata.image());
        if (!p.hasCurrentLeaderEpoch() || p.getCurrentLeaderEpoch() < 0) {
            return partition;
        }
        int requested = p.getCurrentLeaderEpoch();
        if (requested < partition.leaderEpoch()) {
            throw new FencedLeaderEpochException("fetch for " + partition.topicPartition() + " carries leader epoch "
                    + requested + ", older than the current " + partition.leaderEpoch());
        }
        if (requested > partition.leaderEpoch()) {
            throw new UnknownLeaderEpochException("fetch for " + partition.topicPartition() + " carries leader epoch "
                    + requested + ", newer than the " + partition.leaderEpoch() + " this node knows");
        }
        return partition;
    }

    private static int partitionMaxBytes(FetchPartition p) {
        return p.getPartitionMaxBytes() == 0 ? DEFAULT_PARTITION_MAX_BYTES : p.getPartitionMaxBytes();
    }
}
