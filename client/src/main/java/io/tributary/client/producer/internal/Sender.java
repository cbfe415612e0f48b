package io.tributary.client.producer.internal;

import io.tributary.client.Node;
import io.tributary.client.internal.Backoff;
import io.tributary.client.internal.Channels;
import io.tributary.client.internal.ClientMetadata;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.common.errors.LeaderNotAvailableException;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.common.errors.RetriableException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.TributaryException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceResponse;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's network thread: refreshes metadata, expires batches past {@code delivery.timeout.ms},
 * drains ready batches into one produce request per leader (at most
 * {@code max.in.flight.requests.per.connection} unanswered per broker) and retries failed batches with
 * exponential backoff. Responses are handled on gRPC threads, which complete or re-queue the batches
 * and wake this thread.
 */
public final class Sender implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    /** Upper bound of one idle wait, so metadata age and request timeouts are checked regularly. */
    private static final long MAX_POLL_MS = 100;

    /** Settings the sender needs, from the producer configuration. */
    public record Settings(Acks acks, int requestTimeoutMs, int deliveryTimeoutMs, int retries, long retryBackoffMs,
                           long retryBackoffMaxMs, int maxInFlightPerConnection) {
    }

    private final Settings settings;
    private final RecordAccumulator accumulator;
    private final ClientMetadata metadata;
    private final Channels channels;
    private final Time time;
    private final BiConsumer<RecordMetadata, Exception> onRecordDone;
    private final Map<Integer, ProduceConnection> connections = new HashMap<>();
    private volatile Thread thread;
    private volatile boolean running = true;
    private volatile boolean forceClose;
    private long metadataNotBeforeMs;

    public Sender(Settings settings, RecordAccumulator accumulator, ClientMetadata metadata, Channels channels,
                  Time time, BiConsumer<RecordMetadata, Exception> onRecordDone) {
        this.settings = settings;
        this.accumulator = accumulator;
        this.metadata = metadata;
        this.channels = channels;
        this.time = time;
        this.onRecordDone = onRecordDone;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running) {
            runOnceSafely();
        }
        while (!forceClose && accumulator.hasIncomplete()) {
            runOnceSafely();
        }
        TributaryException closed = new TributaryException("the producer was closed forcefully before the record was sent");
        if (forceClose) {
            accumulator.drainAll().forEach(batch -> failBatch(batch, closed));
        }
        connections.values().forEach(connection -> connection.close(closed));
    }

    /** Wakes the thread so it looks at the accumulator now. */
    public void wakeup() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** Stops taking new work; the thread exits once everything queued was sent and answered. */
    public void initiateClose() {
        running = false;
        wakeup();
    }

    /** Fails whatever is still queued and exits without waiting for it. */
    public void forceClose() {
        forceClose = true;
        initiateClose();
    }

    public boolean isNetworkThread() {
        return Thread.currentThread() == thread;
    }

    /** A bug in one iteration must not kill the thread every send depends on; it is logged and the loop goes on. */
    private void runOnceSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("Unexpected error in the producer network thread; continuing", e);
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(settings.retryBackoffMs()));
        }
    }

    private void runOnce() {
        long nowMs = time.milliseconds();
        ClusterView view = refreshMetadataIfDue(nowMs);
        for (ProducerBatch batch : accumulator.expire(settings.deliveryTimeoutMs(), nowMs)) {
            failBatch(batch, new TimeoutException("expiring " + batch.recordCount() + " record(s) for "
                    + batch.topicPartition() + ": " + (nowMs - batch.createdMs())
                    + " ms has passed since batch creation (delivery.timeout.ms)"));
        }
        connections.values().forEach(c -> c.failIfTimedOut(settings.requestTimeoutMs(), nowMs));
        RecordAccumulator.Readiness readiness = accumulator.ready(view, nowMs);
        if (readiness.unknownLeaders()) {
            metadata.requestUpdate();
        }
        boolean sent = false;
        for (Map.Entry<Node, List<TopicPartition>> entry : readiness.byLeader().entrySet()) {
            sent |= sendTo(entry.getKey(), entry.getValue(), nowMs);
        }
        if (!sent) {
            // Nothing could go now: wait for linger/backoff to pass, or for an append or response to wake us.
            long waitMs = Math.max(1, Math.min(MAX_POLL_MS, readiness.nextCheckDelayMs()));
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(waitMs));
        }
    }

    private ClusterView refreshMetadataIfDue(long nowMs) {
        if (nowMs < metadataNotBeforeMs || !metadata.updateDue()) {
            return metadata.view();
        }
        // Successful or not, the next refresh waits retry.backoff.ms: a partition whose leader stays
        // unknown must not turn the sender into a metadata request loop.
        metadataNotBeforeMs = nowMs + settings.retryBackoffMs();
        try {
            return metadata.refresh();
        } catch (TributaryException e) {
            log.debug("Producer metadata refresh failed, retrying in {} ms: {}", settings.retryBackoffMs(),
                    e.getMessage());
            return metadata.view();
        }
    }

    /** Sends one request to {@code leader} with what is ready for it; false when nothing could be sent. */
    private boolean sendTo(Node leader, List<TopicPartition> ready, long nowMs) {
        ProduceConnection connection = connectionTo(leader);
        if (connection.inFlightCount() >= settings.maxInFlightPerConnection() || !connection.isReady()) {
            return false;
        }
        Map<TopicPartition, List<ProducerBatch>> drained = accumulator.drain(ready, nowMs, (batch, error) ->
                failBatch(batch, new TributaryException("building the record batch for " + batch.topicPartition()
                        + " failed: " + error, error)));
        if (drained.isEmpty()) {
            return false;
        }
        ProduceRequest.Builder request = ProduceRequest.newBuilder().setAcks(settings.acks())
                .setTimeoutMs(settings.requestTimeoutMs());
        drained.forEach((tp, batches) -> request.addPartitions(PartitionProduceData.newBuilder()
                .setTopic(tp.topic()).setPartition(tp.partition()).setRecordBatches(concatenate(batches))));
        if (settings.acks() == Acks.ACKS_NONE) {
            if (connection.send(request, null)) {
                drained.forEach((tp, batches) -> {
                    accumulator.unmute(tp);
                    batches.forEach(batch -> completeBatch(batch, -1, -1, false));
                });
            } else {
                drained.forEach((tp, batches) -> retryOrFail(tp, batches, ProduceConnection.lost(leader, "the produce stream failed")));
            }
            return true;
        }
        if (!connection.send(request, new RequestInFlight(drained, nowMs))) {
            drained.forEach((tp, batches) -> retryOrFail(tp, batches, ProduceConnection.lost(leader, "the produce stream failed")));
        }
        return true;
    }

    /** The connection to {@code leader}, replaced when the broker moved to another address. */
    private ProduceConnection connectionTo(Node leader) {
        ProduceConnection connection = connections.get(leader.id());
        if (connection != null && connection.node().equals(leader)) {
            return connection;
        }
        if (connection != null) {
            connection.close(ProduceConnection.lost(connection.node(), "the broker moved to another address"));
        }
        ProduceConnection fresh = new ProduceConnection(leader, channels.forAddress(leader.host(), leader.port()),
                this::wakeup);
        connections.put(leader.id(), fresh);
        return fresh;
    }

    private static ByteString concatenate(List<ProducerBatch> batches) {
        if (batches.size() == 1) {
            return UnsafeByteOperations.unsafeWrap(batches.get(0).bytes());
        }
        ByteString joined = ByteString.EMPTY;
        for (ProducerBatch batch : batches) {
            joined = joined.concat(UnsafeByteOperations.unsafeWrap(batch.bytes()));
        }
        return joined;
    }

    /** The answer (or failure) of one produce request, handled on a gRPC thread. */
    private final class RequestInFlight implements ProduceConnection.InFlight {
        private final Map<TopicPartition, List<ProducerBatch>> batches;
        private final long sentMs;

        RequestInFlight(Map<TopicPartition, List<ProducerBatch>> batches, long sentMs) {
            this.batches = batches;
            this.sentMs = sentMs;
        }

        @Override
        public long sentMs() {
            return sentMs;
        }

        @Override
        public void onResponse(ProduceResponse response) {
            Map<TopicPartition, PartitionProduceResponse> byPartition = new HashMap<>();
            for (PartitionProduceResponse partition : response.getPartitionsList()) {
                byPartition.put(new TopicPartition(partition.getTopic(), partition.getPartition()), partition);
            }
            batches.forEach((tp, sent) -> {
                PartitionProduceResponse answer = byPartition.get(tp);
                if (answer == null) {
                    retryOrFail(tp, sent, new UnknownTopicOrPartitionException("the produce response did not mention " + tp));
                    return;
                }
                TributaryException error = GrpcErrors.fromCode(answer.getErrorCode(), answer.getErrorMessage());
                if (error == null) {
                    accumulator.unmute(tp);
                    long base = answer.getBaseOffset();
                    for (ProducerBatch batch : sent) {
                        completeBatch(batch, base, answer.getLogAppendTimeMs(), true);
                        base += batch.recordCount();
                    }
                } else {
                    retryOrFail(tp, sent, error);
                }
            });
            wakeup();
        }

        @Override
        public void onFailure(TributaryException error) {
            batches.forEach((tp, sent) -> retryOrFail(tp, sent, error));
            wakeup();
        }
    }

    private void retryOrFail(TopicPartition tp, List<ProducerBatch> batches, TributaryException error) {
        long nowMs = time.milliseconds();
        if (error instanceof NotLeaderOrFollowerException || error instanceof UnknownTopicOrPartitionException
                || error instanceof BrokerNotAvailableException || error instanceof LeaderNotAvailableException) {
            metadata.requestUpdate();
        }
        ProducerBatch head = batches.get(0);
        boolean retriable = error instanceof RetriableException;
        boolean withinDeadline = nowMs - head.createdMs() < settings.deliveryTimeoutMs();
        if (retriable && withinDeadline && head.attempts() < settings.retries() && !forceClose) {
            long backoffMs = backoffMs(head.attempts());
            log.debug("Retrying {} batch(es) of {} in {} ms (attempt {}): {}", batches.size(), tp, backoffMs,
                    head.attempts() + 1, error.getMessage());
            batches.forEach(batch -> batch.retryAt(nowMs + backoffMs));
            accumulator.reenqueue(tp, batches);
            channels.resetConnectBackoff();
            return;
        }
        accumulator.unmute(tp);
        for (ProducerBatch batch : batches) {
            failBatch(batch, retriable && !withinDeadline ? new TimeoutException("delivery.timeout.ms ("
                    + settings.deliveryTimeoutMs() + " ms) passed for " + tp + " after " + (batch.attempts() + 1)
                    + " attempt(s); last error: " + error.getMessage(), error) : error);
        }
    }

    /** The shared exponential backoff, with ±10% jitter so producers that failed together do not retry together. */
    private long backoffMs(int attempts) {
        long capped = Backoff.exponentialMs(settings.retryBackoffMs(), settings.retryBackoffMaxMs(), attempts);
        long jitter = (long) (capped * 0.2 * (Math.random() - 0.5));
        return Math.max(0, capped + jitter);
    }

    /** {@code answered}: the broker responded, so the batch's buffer can be reused. */
    private void completeBatch(ProducerBatch batch, long baseOffset, long logAppendTimeMs, boolean answered) {
        batch.complete(baseOffset, logAppendTimeMs, onRecordDone);
        accumulator.deallocate(batch, answered);
    }

    private void failBatch(ProducerBatch batch, RuntimeException error) {
        batch.fail(error, onRecordDone);
        accumulator.deallocate(batch, false);
    }
}
