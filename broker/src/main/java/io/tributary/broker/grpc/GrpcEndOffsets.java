package io.tributary.broker.grpc;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.tributary.broker.metrics.GroupLagMetrics;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.IsolationLevel;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.ListOffsetsResponse;
import io.tributary.proto.v1.OffsetSpec;
import io.tributary.quorum.image.BrokerImage;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.PartitionImage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Asks partition leaders for their high watermarks with the public ListOffsets (LATEST,
 * read_uncommitted) on their client listener, as the metadata image gives it: one call per leader,
 * over the shared {@link BrokerChannels} (the channels of brokers that left the image are shut
 * down). Thread-safe.
 */
public final class GrpcEndOffsets implements GroupLagMetrics.RemoteEndOffsets, AutoCloseable {

    private final Supplier<MetadataImage> images;
    private final BrokerChannels channels;
    private final long requestTimeoutMs;
    private boolean closed;

    /**
     * @param channels the channels to the other brokers, borrowed: {@link #close()} leaves them open
     * @param requestTimeoutMs the longest deadline of a ListOffsets call
     */
    public GrpcEndOffsets(Supplier<MetadataImage> images, BrokerChannels channels, long requestTimeoutMs) {
        this.images = images;
        this.channels = channels;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /**
     * Each leader's call has a deadline of {@code timeoutMs} (at most the request timeout) and
     * counts as unanswered once it passes, so one silent leader holds back no other's answers.
     */
    @Override
    public CompletableFuture<Map<TopicPartition, Long>> highWatermarks(Set<TopicPartition> partitions,
                                                                       long timeoutMs) {
        MetadataImage image = images.get();
        channels.closeNotIn(image.brokers().keySet());
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        for (TopicPartition tp : partitions) {
            image.topic(tp.topic()).map(topic -> topic.partitions().get(tp.partition())).map(PartitionImage::leader)
                    .filter(leader -> image.brokers().containsKey(leader))
                    .ifPresent(leader -> byLeader.computeIfAbsent(leader, l -> new ArrayList<>()).add(tp));
        }
        List<CompletableFuture<Map<TopicPartition, Long>>> calls = new ArrayList<>();
        long deadlineMs = Math.max(1, Math.min(requestTimeoutMs, timeoutMs));
        byLeader.forEach((leader, led) -> calls.add(ask(image.brokers().get(leader), led, deadlineMs)
                .completeOnTimeout(Map.of(), deadlineMs, TimeUnit.MILLISECONDS)));
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<TopicPartition, Long> answers = new HashMap<>();
            calls.forEach(call -> answers.putAll(call.join()));
            return answers;
        });
    }

    /** One leader's answers; empty when the call fails. */
    private CompletableFuture<Map<TopicPartition, Long>> ask(BrokerImage leader, List<TopicPartition> partitions,
                                                             long deadlineMs) {
        CompletableFuture<Map<TopicPartition, Long>> answer = new CompletableFuture<>();
        ListOffsetsRequest.Builder request = ListOffsetsRequest.newBuilder()
                .setIsolationLevel(IsolationLevel.ISOLATION_LEVEL_READ_UNCOMMITTED);
        partitions.forEach(tp -> request.addPartitions(ListOffsetsPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition()).setSpec(OffsetSpec.OFFSET_SPEC_LATEST)));
        try {
            FetchServiceGrpc.newStub(channelTo(leader)).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
                    .listOffsets(request.build(), new StreamObserver<>() {
                        @Override
                        public void onNext(ListOffsetsResponse response) {
                            Map<TopicPartition, Long> found = new HashMap<>();
                            for (ListOffsetsPartitionResponse p : response.getPartitionsList()) {
                                if (p.getErrorCode() == ErrorCode.ERROR_CODE_NONE && p.getOffset() >= 0) {
                                    found.put(new TopicPartition(p.getTopic(), p.getPartition()), p.getOffset());
                                }
                            }
                            answer.complete(found);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.complete(Map.of());
                        }

                        @Override
                        public void onCompleted() {
                            answer.complete(Map.of());
                        }
                    });
        } catch (RuntimeException e) {
            answer.complete(Map.of());
        }
        return answer;
    }

    private ManagedChannel channelTo(BrokerImage broker) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the node is shutting down");
            }
        }
        return channels.channelTo(broker.id(), InetSocketAddress.createUnresolved(broker.host(), broker.port()));
    }

    /** The brokers this holds a channel to (for tests). */
    Set<Integer> connectedBrokerIds() {
        return channels.brokerIds();
    }

    /** Stops asking; the shared channels stay open (their owner closes them). */
    @Override
    public synchronized void close() {
        closed = true;
    }
}
