package io.tributary.broker.replica;

import com.google.protobuf.UnsafeByteOperations;
import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.Partition;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.Errors;
import io.tributary.common.errors.InvalidRequestException;
import io.tributary.common.errors.StaleBrokerEpochException;
import io.tributary.common.errors.UnknownServerException;
import io.tributary.proto.replica.v1.PartitionRef;
import io.tributary.proto.replica.v1.ReplicaFetchPartition;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.proto.replica.v1.ReplicaPartitionData;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.storage.FetchDataInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The leader's side of one follower's Replicate stream: a fetch session (see replica_service.proto).
 * Each request updates the session, counts as a fetch of every partition in it (the follower's
 * position, which may advance the high watermark or let the follower rejoin the ISR), and is answered
 * once — at once when there is something to say, otherwise when an append or high-watermark event
 * gives news, or at max_wait_ms.
 *
 * <p>Thread-safety: requests arrive on the transport's thread and the answer may be sent from a
 * purgatory thread; everything is synchronized on the session, and the one-request-at-a-time rule
 * is enforced.
 */
public final class LeaderSession {

    /** Where answers go: the stream to the follower. */
    public interface Sink {
        void send(ReplicaFetchResponse response);

        /** Ends the stream with a stream-level error. */
        void fail(ApiException error);
    }

    private final Function<TopicPartition, Partition> partitions;
    private final Supplier<MetadataImage> metadata;
    private final DelayedOperationPurgatory purgatory;
    private final IsrChangeSender isrChanges;
    private final Time time;
    private final int defaultPartitionMaxBytes;
    private final Sink sink;
    private final Map<TopicPartition, SessionPartition> session = new LinkedHashMap<>();
    private int replicaId = -1;
    private int maxBytes;
    private boolean awaitingAnswer;
    private boolean closed;

    public LeaderSession(Function<TopicPartition, Partition> partitions, Supplier<MetadataImage> metadata,
                         DelayedOperationPurgatory purgatory, IsrChangeSender isrChanges, Time time,
                         int defaultPartitionMaxBytes, Sink sink) {
        this.partitions = partitions;
        this.metadata = metadata;
        this.purgatory = purgatory;
        this.isrChanges = isrChanges;
        this.time = time;
        this.defaultPartitionMaxBytes = defaultPartitionMaxBytes;
        this.sink = sink;
    }

    /** Handles the follower's next request; a malformed or stale one ends the stream. */
    public synchronized void onRequest(ReplicaFetchRequest request) {
        if (closed) {
            return;
        }
        try {
            validate(request);
        } catch (ApiException e) {
            close();
            sink.fail(e);
            return;
        }
        replicaId = request.getReplicaId();
        maxBytes = request.getMaxBytes() > 0 ? request.getMaxBytes() : Integer.MAX_VALUE;
        for (PartitionRef removed : request.getRemovedList()) {
            session.remove(new TopicPartition(removed.getTopic(), removed.getPartition()));
        }
        for (ReplicaFetchPartition state : request.getPartitionsList()) {
            TopicPartition tp = new TopicPartition(state.getTopic(), state.getPartition());
            session.computeIfAbsent(tp, SessionPartition::new).update(state, defaultPartitionMaxBytes);
        }
        recordFetches();
        awaitingAnswer = true;
        if (request.getMaxWaitMs() == 0 || hasNews()) {
            answer();
        } else {
            purgatory.tryCompleteElseWatch(new DelayedReplicaFetch(this), List.copyOf(session.keySet()),
                    request.getMaxWaitMs());
        }
    }

    private void validate(ReplicaFetchRequest request) {
        if (awaitingAnswer) {
            throw new InvalidRequestException("a replica fetch request arrived before the previous one was answered");
        }
        if (request.getReplicaId() < 0 || (replicaId >= 0 && request.getReplicaId() != replicaId)) {
            throw new InvalidRequestException("replica_id " + request.getReplicaId() + " is invalid"
                    + (replicaId >= 0 ? " (this stream belongs to replica " + replicaId + ")" : ""));
        }
        if (request.getMaxWaitMs() < 0 || request.getMaxBytes() < 0) {
            throw new InvalidRequestException("max_wait_ms and max_bytes must not be negative");
        }
        for (ReplicaFetchPartition p : request.getPartitionsList()) {
            if (p.getTopic().isEmpty() || p.getPartition() < 0 || p.getFetchOffset() < 0) {
                throw new InvalidRequestException("partition entry '" + p.getTopic() + "'-" + p.getPartition()
                        + " at fetch offset " + p.getFetchOffset() + " is invalid");
            }
        }
        BrokerImage follower = metadata.get().brokers().get(request.getReplicaId());
        if (follower != null && request.getBrokerEpoch() < follower.epoch()) {
            throw new StaleBrokerEpochException("replica " + request.getReplicaId() + " fetches with broker epoch "
                    + request.getBrokerEpoch() + ", but its current registration has epoch " + follower.epoch());
        }
    }

    /** Counts the request as a fetch of every partition in the session at its remembered position. */
    private void recordFetches() {
        BrokerImage follower = metadata.get().brokers().get(replicaId);
        boolean eligible = follower != null && follower.active();
        long nowMs = time.milliseconds();
        for (SessionPartition state : session.values()) {
            if (state.error != null) {
                continue;
            }
            try {
                Partition partition = ReplicaReads.leaderAt(partitions.apply(state.topicPartition),
                        state.topicPartition, state.topicId, state.leaderEpoch);
                state.diverging = ReplicaReads.divergence(partition, state.lastFetchedEpoch, state.fetchOffset);
                if (state.diverging == null) {
                    ReplicaReads.checkInRange(partition, state.fetchOffset);
                    partition.recordFollowerFetch(replicaId, state.fetchOffset, state.durableOffset, state.logStartOffset,
                            eligible, nowMs)
                            .ifPresent(change -> isrChanges.submitIsrChange(partition, change));
                }
            } catch (RuntimeException e) {
                state.error = e instanceof ApiException api ? api : Errors.exceptionFor(Errors.codeFor(e), String.valueOf(e.getMessage()));
            }
        }
    }

    /** Whether an answer would say anything (records, a new high watermark, a divergence, an error). */
    synchronized boolean hasNews() {
        if (closed) {
            return true;
        }
        for (SessionPartition state : session.values()) {
            if (state.error != null || state.diverging != null) {
                return true;
            }
            Partition partition = partitions.apply(state.topicPartition);
            if (partition == null || !partition.isLeaderAt(state.leaderEpoch) || partition.isOffline()
                    || !partition.topicId().equals(state.topicId)
                    || partition.logEndOffset() > state.fetchOffset
                    || partition.highWatermark() != state.lastSentHighWatermark
                    || partition.logStartOffset() != state.lastSentLogStartOffset) {
                return true;
            }
        }
        return false;
    }

    /** Builds and sends the answer to the outstanding request. */
    synchronized void answer() {
        if (closed || !awaitingAnswer) {
            return;
        }
        awaitingAnswer = false;
        ReplicaFetchResponse.Builder response = ReplicaFetchResponse.newBuilder();
        int budget = maxBytes;
        boolean returnedData = false;
        List<SessionPartition> served = new ArrayList<>();
        for (Iterator<SessionPartition> it = session.values().iterator(); it.hasNext(); ) {
            SessionPartition state = it.next();
            ReplicaPartitionData data = answerOne(state, budget, !returnedData);
            if (data == null) {
                continue;
            }
            if (data.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                it.remove();
            } else if (!data.getRecordBatches().isEmpty()) {
                served.add(state);
            }
            budget -= data.getRecordBatches().size();
            returnedData |= !data.getRecordBatches().isEmpty();
            response.addPartitions(data);
        }
        // Partitions that got records go to the back, so the next answer starts with the others.
        for (SessionPartition state : served) {
            session.remove(state.topicPartition);
            session.put(state.topicPartition, state);
        }
        sink.send(response.build());
    }

    /** One partition's part of the answer, or null when there is nothing to say about it. */
    private ReplicaPartitionData answerOne(SessionPartition state, int budget, boolean minOneBatch) {
        ReplicaPartitionData.Builder data = ReplicaPartitionData.newBuilder()
                .setTopic(state.topicPartition.topic()).setPartition(state.topicPartition.partition())
                .setTopicId(state.topicId).setErrorCode(ErrorCode.ERROR_CODE_NONE);
        Partition partition = partitions.apply(state.topicPartition);
        try {
            if (state.error != null) {
                throw state.error;
            }
            partition = ReplicaReads.leaderAt(partition, state.topicPartition, state.topicId, state.leaderEpoch);
            if (state.diverging != null) {
                data.setDivergingEpoch(state.diverging);
                state.diverging = null;
            } else if (budget > 0 || minOneBatch) {
                FetchDataInfo read = partition.log().read(state.fetchOffset, Math.min(state.maxBytes,
                        Math.max(budget, 0)), Long.MAX_VALUE, minOneBatch);
                ByteBuffer records = read.records();
                if (records.hasRemaining()) {
                    data.setRecordBatches(UnsafeByteOperations.unsafeWrap(records));
                }
            }
        } catch (RuntimeException e) {
            ApiException error = e instanceof ApiException api ? api : new UnknownServerException(e.getMessage());
            data.setErrorCode(error.errorCode()).setErrorMessage(String.valueOf(error.getMessage()));
        }
        if (partition != null) {
            data.setHighWatermark(partition.highWatermark()).setLogStartOffset(partition.logStartOffset())
                    .setLogEndOffset(partition.logEndOffset());
        }
        boolean news = data.getErrorCode() != ErrorCode.ERROR_CODE_NONE || data.hasDivergingEpoch()
                || !data.getRecordBatches().isEmpty() || data.getHighWatermark() != state.lastSentHighWatermark
                || data.getLogStartOffset() != state.lastSentLogStartOffset;
        if (!news) {
            return null;
        }
        state.lastSentHighWatermark = data.getHighWatermark();
        state.lastSentLogStartOffset = data.getLogStartOffset();
        return data.build();
    }

    /** The stream ended; a parked request is dropped. */
    public synchronized void close() {
        closed = true;
        session.clear();
    }

}
