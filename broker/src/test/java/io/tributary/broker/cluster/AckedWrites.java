package io.tributary.broker.cluster;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceResponse;
import io.tributary.proto.v1.ProduceServiceGrpc;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordList;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Keeps a fixed number of acks=all produce requests in flight to each partition's leader over raw
 * gRPC — one record each, with a unique value — and records every write the broker acknowledged:
 * the offset it answered and the value. A finished request is replaced by a new one for as long as
 * the given condition holds, so requests are always in flight.
 */
final class AckedWrites {

    private final String topic;
    private final BooleanSupplier keepSending;
    private final Map<Integer, NavigableMap<Long, String>> acked = new ConcurrentHashMap<>();
    private final AtomicLong nextValue = new AtomicLong();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    /** @param keepSending checked before each request: once false, no more are sent */
    AckedWrites(String topic, BooleanSupplier keepSending) {
        this.topic = topic;
        this.keepSending = keepSending;
    }

    /** Keeps {@code inFlight} requests in flight to {@code partition} through its leader's {@code channel}. */
    void start(int partition, ManagedChannel channel, int inFlight) {
        acked.putIfAbsent(partition, new ConcurrentSkipListMap<>());
        ProduceServiceGrpc.ProduceServiceStub stub = ProduceServiceGrpc.newStub(channel);
        for (int i = 0; i < inFlight; i++) {
            send(partition, stub);
        }
    }

    /** Requests sent and not answered yet. */
    int outstanding() {
        return outstanding.get();
    }

    /** Requests answered with an error, or that failed. */
    int refused() {
        return refused.get();
    }

    int ackedCount() {
        return acked.values().stream().mapToInt(Map::size).sum();
    }

    /** The acknowledged writes of {@code partition}: offset to value. */
    NavigableMap<Long, String> acked(int partition) {
        return acked.get(partition);
    }

    private void send(int partition, ProduceServiceGrpc.ProduceServiceStub stub) {
        if (!keepSending.getAsBoolean()) {
            return;
        }
        String value = "value-" + nextValue.getAndIncrement();
        ProduceRequest request = ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).setTimeoutMs(10_000)
                .addPartitions(PartitionProduceData.newBuilder().setTopic(topic).setPartition(partition)
                        .setRecords(RecordList.newBuilder().addRecords(
                                Record.newBuilder().setValue(ByteString.copyFromUtf8(value)))))
                .build();
        outstanding.incrementAndGet();
        stub.withDeadlineAfter(30, TimeUnit.SECONDS).produce(request, new StreamObserver<>() {
            @Override
            public void onNext(ProduceResponse response) {
                PartitionProduceResponse answer = response.getPartitions(0);
                if (answer.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                    acked.get(partition).put(answer.getBaseOffset(), value);
                } else {
                    refused.incrementAndGet();
                }
            }

            @Override
            public void onError(Throwable error) {
                refused.incrementAndGet();
                outstanding.decrementAndGet();
                send(partition, stub);
            }

            @Override
            public void onCompleted() {
                outstanding.decrementAndGet();
                send(partition, stub);
            }
        });
    }
}
