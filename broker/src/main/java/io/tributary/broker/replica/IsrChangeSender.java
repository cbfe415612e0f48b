package io.tributary.broker.replica;

import io.tributary.broker.partition.Partition;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.Errors;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.proto.controller.v1.IsrChangeResult;
import io.tributary.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends leaders' ISR changes to the controller (AlterPartition): one request in flight at a time,
 * carrying every change proposed meanwhile (one per partition, the latest). Each answer goes back
 * to its partition — the committed state, or a refusal that lets the partition propose again on a
 * later event. Thread-safe.
 */
public final class IsrChangeSender {

    private static final Logger log = LoggerFactory.getLogger(IsrChangeSender.class);

    private record Pending(Partition partition, IsrChange change) {
    }

    private final int localId;
    private final LongSupplier brokerEpoch;
    private final Function<AlterPartitionRequest, CompletableFuture<AlterPartitionResponse>> controller;
    private final Time time;
    private final Map<TopicPartition, Pending> queued = new LinkedHashMap<>();
    private boolean inFlight;

    public IsrChangeSender(int localId, LongSupplier brokerEpoch,
                           Function<AlterPartitionRequest, CompletableFuture<AlterPartitionResponse>> controller,
                           Time time) {
        this.localId = localId;
        this.brokerEpoch = brokerEpoch;
        this.controller = controller;
        this.time = time;
    }

    /** Queues {@code change} of the leader {@code partition}; sends at once when nothing is in flight. */
    public void submitIsrChange(Partition partition, IsrChange change) {
        synchronized (this) {
            queued.put(partition.topicPartition(), new Pending(partition, change));
        }
        maybeSend();
    }

    private void maybeSend() {
        List<Pending> batch;
        synchronized (this) {
            if (inFlight || queued.isEmpty()) {
                return;
            }
            inFlight = true;
            batch = new ArrayList<>(queued.values());
            queued.clear();
        }
        AlterPartitionRequest.Builder request = AlterPartitionRequest.newBuilder().setBrokerId(localId)
                .setBrokerEpoch(brokerEpoch.getAsLong());
        batch.forEach(p -> request.addChanges(p.change()));
        CompletableFuture<AlterPartitionResponse> answer;
        try {
            answer = controller.apply(request.build());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, error) -> {
            try {
                deliver(batch, response, error);
            } finally {
                synchronized (this) {
                    inFlight = false;
                }
                maybeSend();
            }
        });
    }

    private void deliver(List<Pending> batch, AlterPartitionResponse response, Throwable error) {
        long nowMs = time.milliseconds();
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            int epoch = pending.change().getLeaderEpoch();
            IsrChangeResult result = error == null && i < response.getResultsCount() ? response.getResults(i) : null;
            if (result != null && result.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                log.info("Partition {}: ISR is now {} (partition epoch {})", pending.partition().topicPartition(),
                        result.getIsrList(), result.getPartitionEpoch());
                pending.partition().onIsrChangeAnswered(epoch, Optional.of(result.getIsrList()),
                        result.getPartitionEpoch(), nowMs);
            } else {
                String why = result != null ? result.getErrorCode() + ": " + result.getErrorMessage()
                        : error != null ? String.valueOf(Errors.unwrap(error).getMessage()) : "no result in the answer";
                log.info("Partition {}: ISR change to {} not made ({})", pending.partition().topicPartition(),
                        pending.change().getNewIsrList(), why);
                pending.partition().onIsrChangeAnswered(epoch, Optional.empty(), -1, nowMs);
            }
        }
    }
}
