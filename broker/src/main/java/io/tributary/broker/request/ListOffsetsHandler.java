package io.tributary.broker.request;

import io.tributary.quorum.image.MetadataLoader;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;
import io.tributary.storage.TimestampAndOffset;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.Record;
import io.tributary.common.record.RecordBatch;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Answers offset lookups: earliest (log start), latest (high watermark), the record with the
 * largest timestamp, and the earliest record whose timestamp is at or after a target. Only committed
 * records (below the high watermark) are considered. Thread-safe.
 */
public final class ListOffsetsHandler {

    private final MetadataLoader metadata;
    private final PartitionManager partitions;

    public ListOffsetsHandler(MetadataLoader metadata, PartitionManager partitions) {
        this.metadata = metadata;
        this.partitions = partitions;
    }

    /** @throws InvalidRequestException for request-level problems */
    public ListOffsetsResponse listOffsets(ListOffsetsRequest request) {
        RequestChecks.nonEmpty("partitions", request.getPartitionsCount());
        RequestChecks checks = new RequestChecks("list offsets request");
        for (int i = 0; i < request.getPartitionsCount(); i++) {
            ListOffsetsPartition p = request.getPartitions(i);
            checks.entry("partitions", i, p.getTopic(), p.getPartition());
        }
        ListOffsetsResponse.Builder response = ListOffsetsResponse.newBuilder();
        for (ListOffsetsPartition p : request.getPartitionsList()) {
            response.addPartitions(lookUp(p));
        }
        return response.build();
    }

    private ListOffsetsPartitionResponse lookUp(ListOffsetsPartition p) {
        ListOffsetsPartitionResponse.Builder result = ListOffsetsPartitionResponse.newBuilder().setTopic(p.getTopic())
                .setPartition(p.getPartition()).setOffset(-1).setTimestampMs(-1).setLeaderEpoch(-1);
        try {
            if (p.getPartition() < 0) {
                throw new UnknownTopicOrPartitionException("partition " + p.getPartition() + " of topic '"
                        + p.getTopic() + "' does not exist");
            }
            Partition partition = partitions.partition(new TopicPartition(p.getTopic(), p.getPartition()),
                    metadata.image());
            partition.ensureHealthy();
            result.setErrorCode(ErrorCode.ERROR_CODE_NONE);
            switch (p.getQueryCase()) {
                case SPEC -> bySpec(partition, p, result);
                case TIMESTAMP_MS -> byTimestamp(partition, p.getTimestampMs(), result);
                case QUERY_NOT_SET -> throw new InvalidRequestException("partition " + p.getTopic() + "-"
                        + p.getPartition() + " sets neither spec nor timestamp_ms");
            }
        } catch (ApiException e) {
            result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
        } catch (RuntimeException e) {
            result.setErrorCode(Errors.codeFor(e)).setErrorMessage(String.valueOf(e.getMessage()));
        }
        return result.build();
    }

    private static void bySpec(Partition partition, ListOffsetsPartition p,
                               ListOffsetsPartitionResponse.Builder result) {
        switch (p.getSpec()) {
            case OFFSET_SPEC_EARLIEST -> result.setOffset(partition.logStartOffset());
            case OFFSET_SPEC_LATEST -> result.setOffset(partition.highWatermark())
                    .setLeaderEpoch(partition.leaderEpoch());
            case OFFSET_SPEC_MAX_TIMESTAMP -> {
                Optional<TimestampAndOffset> max = partition.log().offsetOfMaxTimestamp();
                if (max.isPresent() && max.get().offset() < partition.highWatermark()) {
                    long maxTs = max.get().timestampMs();
                    exactRecord(partition, max.get(), ts -> ts == maxTs, result);
                }
            }
            case OFFSET_SPEC_UNSPECIFIED, UNRECOGNIZED -> throw new InvalidRequestException("partition "
                    + p.getTopic() + "-" + p.getPartition() + " has an unspecified or unknown spec");
        }
    }

    private static void byTimestamp(Partition partition, long targetMs, ListOffsetsPartitionResponse.Builder result) {
        if (targetMs < 0) {
            throw new InvalidRequestException("timestamp_ms must not be negative (got " + targetMs + ")");
        }
        Optional<TimestampAndOffset> batch = partition.log().fetchOffsetByTimestamp(targetMs);
        if (batch.isPresent() && batch.get().offset() < partition.highWatermark()) {
            exactRecord(partition, batch.get(), ts -> ts >= targetMs, result);
        }
    }

    /**
     * The storage index answers at batch granularity; decode the batch at {@code located} and pick
     * the first committed record whose timestamp matches.
     */
    private static void exactRecord(Partition partition, TimestampAndOffset located, LongPredicate matches,
                                    ListOffsetsPartitionResponse.Builder result) {
        long hw = partition.highWatermark();
        var data = partition.log().read(located.offset(), 1, hw, true);
        for (RecordBatch batch : MemoryRecords.readableRecords(data.records())) {
            for (Record record : batch.records()) {
                if (record.offset() >= located.offset() && record.offset() < hw && matches.test(record.timestamp())) {
                    result.setOffset(record.offset()).setTimestampMs(record.timestamp())
                            .setLeaderEpoch(batch.partitionLeaderEpoch());
                    return;
                }
            }
        }
    }
}
