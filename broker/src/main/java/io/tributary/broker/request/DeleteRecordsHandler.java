package io.tributary.broker.request;

import io.tributary.broker.partition.DelayedOperationPurgatory;
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
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * DeleteRecords on the partitions this node leads (Kafka's semantics): each partition's log start
 * offset moves up to the requested offset, the log-start-offset checkpoint is written (so the
 * deletion survives a crash of this leader), and then the answer waits — in a purgatory, up to
 * timeout_ms — until every in-sync replica reports a log start offset at least that high (followers
 * learn it from the replica fetch stream, checkpoint it, and report it in their next fetch), so an
 * answered deletion is durable on every in-sync replica. Thread-safe.
 */
public final class DeleteRecordsHandler {

    private final MetadataLoader metadata;
    private final PartitionManager partitions;
    private final Consumer<Collection<TopicPartition>> checkpoint;
    private final DelayedOperationPurgatory purgatory;
    private final int defaultTimeoutMs;

    /**
     * @param checkpoint writes the log-start-offset checkpoints of the directories holding the given
     *     partitions (a directory that could not be written goes offline); throws
     *     {@link StorageException} when none could be written at all
     * @param purgatory where answers wait for the in-sync replicas; it must be woken by the partitions'
     *     events (which {@link PartitionManager} does for the purgatories it is given)
     * @param defaultTimeoutMs how long they wait when a request says timeout_ms 0
     */
    public DeleteRecordsHandler(MetadataLoader metadata, PartitionManager partitions,
                                Consumer<Collection<TopicPartition>> checkpoint,
                                DelayedOperationPurgatory purgatory, int defaultTimeoutMs) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.checkpoint = checkpoint;
        this.purgatory = purgatory;
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    /** @throws InvalidRequestException for request-level problems (the message names the field) */
    public CompletableFuture<DeleteRecordsResponse> deleteRecords(DeleteRecordsRequest request) {
        RequestChecks.nonEmpty("partitions", request.getPartitionsCount());
        RequestChecks.nonNegative("timeout_ms", request.getTimeoutMs());
        RequestChecks checks = new RequestChecks("delete records request");
        for (int i = 0; i < request.getPartitionsCount(); i++) {
            DeleteRecordsPartition p = request.getPartitions(i);
            checks.entry("partitions", i, p.getTopic(), p.getPartition());
        }
        List<DeleteRecordsPartitionResult.Builder> results = new ArrayList<>();
        List<DelayedDeleteRecords.Waiting> waiting = new ArrayList<>();
        for (DeleteRecordsPartition p : request.getPartitionsList()) {
            results.add(deleteOne(p, waiting));
        }
        if (!waiting.isEmpty()) {
            checkpointWaiting(checkpoint, waiting);
        }
        int timeoutMs = request.getTimeoutMs() == 0 ? defaultTimeoutMs : request.getTimeoutMs();
        CompletableFuture<DeleteRecordsResponse> answer = new CompletableFuture<>();
        DelayedDeleteRecords delayed = new DelayedDeleteRecords(results, waiting, timeoutMs, answer,
                purgatory::isClosed);
        purgatory.tryCompleteElseWatch(delayed, waiting.stream().map(w -> w.partition().topicPartition()).toList(),
                timeoutMs);
        return answer;
    }

    /**
     * Makes the new log start offsets of the {@code waiting} partitions durable: writes their
     * directories' log-start-offset checkpoints, then fails (and stops waiting for) each partition whose log directory is offline,
     * as its checkpoint was not written. Other directories being offline does not matter here.
     */
    static void checkpointWaiting(Consumer<Collection<TopicPartition>> checkpoint,
                                  List<DelayedDeleteRecords.Waiting> waiting) {
        try {
            checkpoint.accept(waiting.stream().map(w -> w.partition().topicPartition()).toList());
        } catch (StorageException e) {
            waiting.forEach(w -> w.result().setErrorCode(e.errorCode()).setErrorMessage(e.getMessage()));
            waiting.clear();
            return;
        }
        waiting.removeIf(w -> {
            if (w.partition().log().isOnline()) {
                return false;
            }
            StorageException offline = new StorageException("the leader deleted the records of "
                    + w.partition().topicPartition() + " below offset " + w.requiredOffset()
                    + ", but could not checkpoint it: its log directory is offline");
            w.result().setErrorCode(offline.errorCode()).setErrorMessage(offline.getMessage());
            return true;
        });
    }

    /**
     * Deletes one partition's records on this leader: its result (an error, or waiting in
     * {@code waiting} for the in-sync replicas).
     */
    private DeleteRecordsPartitionResult.Builder deleteOne(DeleteRecordsPartition p,
                                                           List<DelayedDeleteRecords.Waiting> waiting) {
        DeleteRecordsPartitionResult.Builder result = DeleteRecordsPartitionResult.newBuilder().setTopic(p.getTopic())
                .setPartition(p.getPartition()).setLowWatermark(-1);
        try {
            if (p.getPartition() < 0) {
                throw new UnknownTopicOrPartitionException("partition " + p.getPartition() + " of topic '"
                        + p.getTopic() + "' does not exist");
            }
            Partition partition = partitions.partition(new TopicPartition(p.getTopic(), p.getPartition()),
                    metadata.image());
            long requiredOffset = partition.deleteRecordsAsLeader(p.getOffset());
            result.setErrorCode(ErrorCode.ERROR_CODE_NONE);
            waiting.add(new DelayedDeleteRecords.Waiting(result, partition, requiredOffset));
        } catch (ApiException e) {
            result.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
        } catch (RuntimeException e) {
            result.setErrorCode(Errors.codeFor(e)).setErrorMessage(String.valueOf(e.getMessage()));
        }
        return result;
    }
}
