package io.tributary.client.admin.internal;

import io.grpc.Channel;
import io.tributary.client.admin.DeletedRecords;
import io.tributary.client.admin.RecordsToDelete;
import io.tributary.client.admin.internal.LeaderPartitionsCall.Answer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.TimeoutException;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.DeleteRecordsPartition;
import io.tributary.proto.v1.DeleteRecordsPartitionResult;
import io.tributary.proto.v1.DeleteRecordsRequest;
import io.tributary.proto.v1.DeleteRecordsResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * DeleteRecords, which only a partition's leader performs: routed to the leaders and retried (a
 * moved leader answers NOT_LEADER_OR_FOLLOWER, retried after a metadata refresh) by
 * {@link LeaderPartitionsCall}.
 */
public final class DeleteRecordsCall {

    /** An attempt with less time than this is not sent: the leader could not wait at all. */
    static final long MIN_ATTEMPT_MS = 2;

    private DeleteRecordsCall() {
    }

    /** Starts the deletions and returns one future per partition, in the order given. */
    public static Map<TopicPartition, CompletableFuture<DeletedRecords>> start(
            AdminRuntime runtime, Map<TopicPartition, RecordsToDelete> offsets, Integer timeoutMs) {
        Map<TopicPartition, RecordsToDelete> copy = Map.copyOf(offsets);
        return LeaderPartitionsCall.start(runtime, "deleteRecords", offsets.keySet(), timeoutMs,
                (channel, partitions, attemptMs) -> send(channel, partitions, copy, attemptMs));
    }

    private static CompletableFuture<List<Answer<DeletedRecords>>> send(Channel channel,
            List<TopicPartition> partitions, Map<TopicPartition, RecordsToDelete> offsets, long timeoutMs) {
        if (timeoutMs < MIN_ATTEMPT_MS) {
            return CompletableFuture.failedFuture(new TimeoutException("only " + timeoutMs + " ms were left, too "
                    + "little for another attempt"));
        }
        // The leader waits for its in-sync replicas up to half the attempt's time, so its answer
        // (REQUEST_TIMED_OUT for a partition they did not confirm, retried) arrives before the RPC
        // deadline. At least 1 ms: the leader reads timeout_ms 0 as its default (30 s).
        DeleteRecordsRequest.Builder request = DeleteRecordsRequest.newBuilder()
                .setTimeoutMs((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMs / 2)));
        partitions.forEach(tp -> request.addPartitions(DeleteRecordsPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition()).setOffset(offsets.get(tp).beforeOffset())));
        var stub = AdminServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
        return Rpc.<DeleteRecordsResponse>unary(observer -> stub.deleteRecords(request.build(), observer))
                .thenApply(response -> response.getPartitionsList().stream().map(DeleteRecordsCall::answer).toList());
    }

    private static Answer<DeletedRecords> answer(DeleteRecordsPartitionResult p) {
        TopicPartition tp = p.getPartition() < 0 ? null : new TopicPartition(p.getTopic(), p.getPartition());
        return new Answer<>(tp, p.getErrorCode(), p.getErrorMessage(), new DeletedRecords(p.getLowWatermark()));
    }
}
