package io.tributary.client.admin.internal;

import io.grpc.Channel;
import io.tributary.client.admin.ListOffsetsResult.ListOffsetsResultInfo;
import io.tributary.client.admin.OffsetSpec;
import io.tributary.client.admin.internal.LeaderPartitionsCall.Answer;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Offset lookups, which only a partition's leader answers: routed and retried by {@link LeaderPartitionsCall}. */
public final class ListOffsetsCall {

    private ListOffsetsCall() {
    }

    /** Starts the lookups and returns one future per partition, in the order given. */
    public static Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> start(
            AdminRuntime runtime, Map<TopicPartition, OffsetSpec> specs, Integer timeoutMs) {
        Map<TopicPartition, OffsetSpec> copy = Map.copyOf(specs);
        return LeaderPartitionsCall.start(runtime, "listOffsets", specs.keySet(), timeoutMs,
                (channel, partitions, attemptMs) -> send(channel, partitions, copy, attemptMs));
    }

    private static CompletableFuture<List<Answer<ListOffsetsResultInfo>>> send(Channel channel,
            List<TopicPartition> partitions, Map<TopicPartition, OffsetSpec> specs, long timeoutMs) {
        ListOffsetsRequest.Builder request = ListOffsetsRequest.newBuilder();
        partitions.forEach(tp -> request.addPartitions(query(tp, specs.get(tp))));
        var stub = FetchServiceGrpc.newStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
        return Rpc.<ListOffsetsResponse>unary(observer -> stub.listOffsets(request.build(), observer))
                .thenApply(response -> response.getPartitionsList().stream().map(ListOffsetsCall::answer).toList());
    }

    private static ListOffsetsPartition query(TopicPartition tp, OffsetSpec spec) {
        ListOffsetsPartition.Builder query = ListOffsetsPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition());
        switch (spec.kind()) {
            case EARLIEST -> query.setSpec(io.tributary.proto.v1.OffsetSpec.OFFSET_SPEC_EARLIEST);
            case LATEST -> query.setSpec(io.tributary.proto.v1.OffsetSpec.OFFSET_SPEC_LATEST);
            case MAX_TIMESTAMP -> query.setSpec(io.tributary.proto.v1.OffsetSpec.OFFSET_SPEC_MAX_TIMESTAMP);
            case TIMESTAMP -> query.setTimestampMs(spec.timestamp());
        }
        return query.build();
    }

    private static Answer<ListOffsetsResultInfo> answer(ListOffsetsPartitionResponse p) {
        TopicPartition tp = p.getPartition() < 0 ? null : new TopicPartition(p.getTopic(), p.getPartition());
        return new Answer<>(tp, p.getErrorCode(), p.getErrorMessage(), new ListOffsetsResultInfo(p.getOffset(),
                p.getTimestampMs(), p.getLeaderEpoch() < 0 ? Optional.empty() : Optional.of(p.getLeaderEpoch())));
    }
}
