package io.tributary.broker.request;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.StorageException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.DeleteRecordsPartition;
import io.tributary.proto.v1.DeleteRecordsPartitionResult;
import io.tributary.proto.v1.DeleteRecordsRequest;
import io.tributary.proto.v1.DeleteRecordsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.quorum.image.MetadataLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * DeleteRecords on the partitions this node leads: each partition's log start offset moves up to
 * the requested offset, then the log-start-offset checkpoint is written (so an answered deletion
 * survives a crash of this leader) before the answer. Followers learn the new log start offset
 * from the replica fetch stream; the answer does not wait for them. Thread-safe.
 */
public final class DeleteRecordsHandler {

    private final MetadataLoader metadata;
    private final PartitionManager partitions;
    private final Runnable checkpoint;

    /**
     * @param checkpoint writes the log directories' checkpoints; throws {@link StorageException} when a
     *     directory could not be written (it is then offline)
     */
    public DeleteRecordsHandler(MetadataLoader metadata, PartitionManager partitions, Runnable checkpoint) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.checkpoint = checkpoint;
    }

    /** @throws InvalidRequestException for request-level problems (the message names the field) */
    public DeleteRecordsResponse deleteRecords(DeleteRecordsRequest request) {
        RequestChecks.nonEmpty("partitions", request.getPartitionsCount());
        RequestChecks.nonNegative("timeout_ms", request.getTimeoutMs());
        RequestChecks checks = new RequestChecks("delete records request");
        for (int i = 0; i < request.getPartitionsCount(); i++) {
            DeleteRecordsPartition p = request.getPartitions(i);
            checks.entry("partitions", i, p.getTopic(), p.getPartition());
        }
        List<DeleteRecordsPartitionResult.Builder> results = new ArrayList<>();
        for (DeleteRecordsPartition p : request.getPartitionsList()) {
            results.add(deleteOne(p));
        }
        if (results.stream().anyMatch(r -> r.getErrorCode() == ErrorCode.ERROR_CODE_NONE)) {
            try {
                checkpoint.run();
            } catch (StorageException e) {
                results.stream().filter(r -> r.getErrorCode() == ErrorCode.ERROR_CODE_NONE)
                        .forEach(r -> r.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage()).setLowWatermark(-1));
            }
        }
        DeleteRecordsResponse.Builder response = DeleteRecordsResponse.newBuilder();
        results.forEach(response::addPartitions);
        return response.build();
    }

    /** Deletes one partition's records: its result, low watermark or error. */
    private DeleteRecordsPartitionResult.Builder deleteOne(DeleteRecordsPartition p) {
        DeleteRecordsPartitionResult.Builder result = DeleteRecordsPartitionResult.newBuilder().setTopic(p.getTopic())
                .setPartition(p.getPartition()).setLowWatermark(-1);
        try {
            if (p.getPartition() < 0) {
                throw new UnknownTopicOrPartitionException("partition " + p.getPartition() + " of topic '"
                        + p.getTopic() + "' does not exist");
            }
            Partition partition = partitions.partition(new TopicPartition(p.getTopic(), p.getPartition()),
                    metadata.image());
            long lowWatermark = partition.deleteRecordsAsLeader(p.getOffset());
            result.setErrorCode(ErrorCode.ERROR_CODE_NONE).setLowWatermark(lowWatermark);
        } catch (ApiException e) {
            result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
        } catch (RuntimeException e) {
            result.setErrorCode(Errors.codeFor(e)).setErrorMessage(String.valueOf(e.getMessage()));
        }
        return result;
    }
}
