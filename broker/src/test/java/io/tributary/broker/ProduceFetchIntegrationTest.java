package io.tributary.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceResponse;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordFormat;
import io.tributary.proto.v1.RecordHeader;
import io.tributary.proto.v1.RecordList;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.Header;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;

@Tag("integration")
class ProduceFetchIntegrationTest {

    @TempDir
    Path dataDir;
    private TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    static ProduceRequest produceRequest(String topic, int partition, Acks acks, PartitionProduceData.Builder data) {
        return ProduceRequest.newBuilder().setAcks(acks)
                .addPartitions(data.setTopic(topic).setPartition(partition)).build();
    }

    static FetchRequest fetchRequest(String topic, int partition, long offset, RecordFormat format) {
        return FetchRequest.newBuilder().setRecordFormat(format).setMaxWaitMs(0)
                .addPartitions(FetchPartition.newBuilder().setTopic(topic).setPartition(partition)
                        .setFetchOffset(offset)).build();
    }

    private static List<Record> sampleRecords(String prefix, int count, long baseTimestamp) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Record.Builder r = Record.newBuilder().setTimestampMs(baseTimestamp + i)
                    .setValue(ByteString.copyFromUtf8(prefix + "-value-" + i + "-" + "x".repeat(i * 7)))
                    .addHeaders(RecordHeader.newBuilder().setKey("h" + i).setValue(ByteString.copyFromUtf8("v" + i)))
                    .addHeaders(RecordHeader.newBuilder().setKey("null-header"));
            if (i % 3 != 0) {
                r.setKey(ByteString.copyFromUtf8(prefix + "-key-" + i));
            }
            records.add(r.build());
        }
        return records;
    }

    @ParameterizedTest
    @EnumSource(value = io.tributary.proto.v1.CompressionType.class, names = {"COMPRESSION_TYPE_NONE",
            "COMPRESSION_TYPE_GZIP", "COMPRESSION_TYPE_SNAPPY", "COMPRESSION_TYPE_LZ4", "COMPRESSION_TYPE_ZSTD"})
    void recordListsRoundTripInOrderWithEveryCodec(io.tributary.proto.v1.CompressionType codec) {
        node.createTopic("t", 1, Map.of());
        long now = System.currentTimeMillis();
        List<Record> first = sampleRecords("a", 5, now);
        List<Record> second = sampleRecords("b", 7, now + 100);
        for (List<Record> batch : List.of(first, second)) {
            PartitionProduceResponse result = node.produce().produce(produceRequest("t", 0, Acks.ACKS_ALL,
                    PartitionProduceData.newBuilder().setRecords(RecordList.newBuilder().addAllRecords(batch)
                            .setCompression(codec)))).getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
        }
        FetchPartitionResponse fetched = node.fetch().fetch(fetchRequest("t", 0, 0, RecordFormat.RECORD_FORMAT_RECORDS))
                .getPartitions(0);
        assertEquals(12, fetched.getHighWatermark());
        List<Record> expected = new ArrayList<>(first);
        expected.addAll(second);
        List<Record> actual = fetched.getRecords().getRecordsList();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Record want = expected.get(i);
            Record got = actual.get(i);
            assertEquals(i, got.getOffset());
            assertEquals(want.getTimestampMs(), got.getTimestampMs());
            assertEquals(want.hasKey(), got.hasKey());
            assertEquals(want.getKey(), got.getKey());
            assertEquals(want.getValue(), got.getValue());
            assertEquals(want.getHeadersList(), got.getHeadersList());
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class)
    void rawBatchesComeBackByteIdenticalApartFromAssignedOffsetAndEpoch(CompressionType codec) {
        node.createTopic("raw", 1, Map.of());
        long now = System.currentTimeMillis();
        List<ByteBuffer> sent = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            RecordBatchBuilder builder = new RecordBatchBuilder().compression(codec);
            for (int i = 0; i < 4; i++) {
                builder.append(now + i, ("k" + b + i).getBytes(StandardCharsets.UTF_8),
                        ("value " + b + "/" + i).getBytes(StandardCharsets.UTF_8),
                        List.of(new Header("trace", new byte[] {(byte) b})));
            }
            ByteBuffer batch = builder.build();
            sent.add(batch.duplicate());
            PartitionProduceResponse result = node.produce().produce(produceRequest("raw", 0, Acks.ACKS_ALL,
                    PartitionProduceData.newBuilder().setRecordBatches(ByteString.copyFrom(batch.duplicate()))))
                    .getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
            assertEquals(b * 4L, result.getBaseOffset());
        }
        ByteBuffer fetched = node.fetch().fetch(fetchRequest("raw", 0, 0, RecordFormat.RECORD_FORMAT_BATCHES))
                .getPartitions(0).getRecordBatches().asReadOnlyByteBuffer();
        for (int b = 0; b < 3; b++) {
            RecordBatch stored = new RecordBatch(fetched, fetched.position());
            stored.ensureValid();
            assertEquals(b * 4L, stored.baseOffset());
            assertEquals(0, stored.partitionLeaderEpoch());
            byte[] want = afterEpoch(sent.get(b));
            byte[] got = afterEpoch(stored.slice());
            assertArrayEquals(want, got, "batch " + b + " differs beyond offset and epoch");
            fetched.position(fetched.position() + stored.sizeInBytes());
        }
        assertFalse(fetched.hasRemaining());
    }

    /** The batch bytes from the magic byte on: everything the broker must not change. */
    private static byte[] afterEpoch(ByteBuffer batch) {
        ByteBuffer copy = batch.duplicate();
        byte[] all = new byte[copy.remaining()];
        copy.get(all);
        return Arrays.copyOfRange(all, RecordBatch.MAGIC_OFFSET, all.length);
    }

    @Test
    void longPollAnswersAsSoonAsDataArrives() throws Exception {
        node.createTopic("poll", 1, Map.of());
        CompletableFuture<FetchResponse> answer = new CompletableFuture<>();
        FetchRequest longPoll = FetchRequest.newBuilder().setMinBytes(1).setMaxWaitMs(120_000)
                .addPartitions(FetchPartition.newBuilder().setTopic("poll").setPartition(0).setFetchOffset(0)
                        ).build();
        node.fetchAsync().withDeadlineAfter(5, TimeUnit.MINUTES).fetch(longPoll, observer(answer));
        node.produce().produce(produceRequest("poll", 0, Acks.ACKS_LEADER, PartitionProduceData.newBuilder()
                .setRecords(RecordList.newBuilder().addRecords(Record.newBuilder()
                        .setValue(ByteString.copyFromUtf8("wake up"))))));
        // Far below max_wait_ms: the answer must have been triggered by the append, not the deadline.
        FetchResponse response = answer.get(30, TimeUnit.SECONDS);
        assertEquals("wake up", response.getPartitions(0).getRecords().getRecords(0).getValue().toStringUtf8());
    }

    @Test
    void longPollAnswersEmptyAtMaxWaitWhenNoDataComes() throws Exception {
        node.createTopic("quiet", 1, Map.of());
        FetchRequest longPoll = FetchRequest.newBuilder().setMinBytes(1).setMaxWaitMs(200)
                .addPartitions(FetchPartition.newBuilder().setTopic("quiet").setPartition(0).setFetchOffset(0)
                        ).build();
        FetchPartitionResponse response = node.fetch().fetch(longPoll).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode());
        assertEquals(0, response.getRecords().getRecordsCount());
    }

    @Test
    void acksNoneAndLeaderAndAllAreHonoured() {
        node.createTopic("acks", 1, Map.of());
        PartitionProduceData.Builder data = PartitionProduceData.newBuilder().setRecords(RecordList.newBuilder()
                .addRecords(Record.newBuilder().setValue(ByteString.copyFromUtf8("v"))));
        assertEquals(-1, node.produce().produce(produceRequest("acks", 0, Acks.ACKS_NONE, data)).getPartitions(0)
                .getBaseOffset());
        assertEquals(1, node.produce().produce(produceRequest("acks", 0, Acks.ACKS_LEADER, data)).getPartitions(0)
                .getBaseOffset());
        PartitionProduceResponse all = node.produce().produce(produceRequest("acks", 0, Acks.ACKS_ALL, data))
                .getPartitions(0);
        assertEquals(2, all.getBaseOffset());
        await().atMost(30, TimeUnit.SECONDS).until(() -> node.fetch()
                .fetch(fetchRequest("acks", 0, 0, RecordFormat.RECORD_FORMAT_RECORDS)).getPartitions(0)
                .getHighWatermark() == 3);
    }

    @Test
    void logAppendTimeTopicsStampTheBrokerClock() {
        node.createTopic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        long before = System.currentTimeMillis();
        PartitionProduceResponse result = node.produce().produce(produceRequest("stamped", 0, Acks.ACKS_ALL,
                PartitionProduceData.newBuilder().setRecords(RecordList.newBuilder().addRecords(Record.newBuilder()
                        .setTimestampMs(1_000L).setValue(ByteString.copyFromUtf8("old")))))).getPartitions(0);
        long after = System.currentTimeMillis();
        assertTrue(result.getLogAppendTimeMs() >= before && result.getLogAppendTimeMs() <= after,
                "log append time " + result.getLogAppendTimeMs() + " outside [" + before + ", " + after + "]");
        Record fetched = node.fetch().fetch(fetchRequest("stamped", 0, 0, RecordFormat.RECORD_FORMAT_RECORDS))
                .getPartitions(0).getRecords().getRecords(0);
        assertEquals(io.tributary.proto.v1.TimestampType.TIMESTAMP_TYPE_LOG_APPEND_TIME, fetched.getTimestampType());
        assertEquals(result.getLogAppendTimeMs(), fetched.getTimestampMs());
    }

    @Test
    void minInsyncReplicasAboveTheIsrRejectsAcksAllButNotAcksOne() {
        node.createTopic("strict", 1, Map.of("min.insync.replicas", "2"));
        PartitionProduceData.Builder data = PartitionProduceData.newBuilder().setRecords(RecordList.newBuilder()
                .addRecords(Record.newBuilder().setValue(ByteString.copyFromUtf8("v"))));
        PartitionProduceResponse all = node.produce().produce(produceRequest("strict", 0, Acks.ACKS_ALL, data))
                .getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, all.getErrorCode());
        assertTrue(all.getErrorMessage().contains("min.insync.replicas is 2"), all.getErrorMessage());
        assertEquals(ErrorCode.ERROR_CODE_NONE, node.produce().produce(produceRequest("strict", 0, Acks.ACKS_LEADER,
                data)).getPartitions(0).getErrorCode());
    }

    @Test
    void theProduceStreamAnswersEveryRequestWithItsCorrelationIdInOrder() throws Exception {
        node.createTopic("stream", 1, Map.of());
        Collecting<ProduceResponse> stream = new Collecting<>();
        ConcurrentLinkedQueue<ProduceResponse> responses = stream.values;
        CompletableFuture<Void> closed = stream.closed;
        StreamObserver<ProduceRequest> requests = node.produceAsync().produceStream(stream);
        int count = 50;
        for (int i = 0; i < count; i++) {
            requests.onNext(produceRequest("stream", 0, Acks.ACKS_ALL, PartitionProduceData.newBuilder()
                    .setRecords(RecordList.newBuilder().addRecords(Record.newBuilder()
                            .setValue(ByteString.copyFromUtf8("m" + i))))).toBuilder().setCorrelationId(1000 + i)
                    .build());
        }
        requests.onNext(ProduceRequest.newBuilder().setCorrelationId(9999).build());
        await().atMost(30, TimeUnit.SECONDS).until(() -> responses.size() == count + 1);
        requests.onCompleted();
        closed.get(30, TimeUnit.SECONDS);
        for (ProduceResponse response : responses) {
            if (response.getCorrelationId() == 9999) {
                assertEquals(0, response.getPartitionsCount(), "an empty request has no partitions to report");
                continue;
            }
            long i = response.getCorrelationId() - 1000;
            assertEquals(i, response.getPartitions(0).getBaseOffset(), "request " + i + " appended out of order");
        }
        List<Record> stored = node.fetch().fetch(fetchRequest("stream", 0, 0, RecordFormat.RECORD_FORMAT_RECORDS))
                .getPartitions(0).getRecords().getRecordsList();
        for (int i = 0; i < count; i++) {
            assertEquals("m" + i, stored.get(i).getValue().toStringUtf8());
        }
    }

    @Test
    void aHalfClosedStreamStillDeliversEveryPendingAcksAllResponse() throws Exception {
        node.createTopic("halfclosed", 1, Map.of());
        Collecting<ProduceResponse> stream = new Collecting<>();
        ConcurrentLinkedQueue<ProduceResponse> responses = stream.values;
        CompletableFuture<Void> closed = stream.closed;
        StreamObserver<ProduceRequest> requests = node.produceAsync().produceStream(stream);
        for (int i = 0; i < 100; i++) {
            requests.onNext(produceRequest("halfclosed", 0, Acks.ACKS_ALL, PartitionProduceData.newBuilder()
                    .setRecords(RecordList.newBuilder().addRecords(Record.newBuilder()
                            .setValue(ByteString.copyFromUtf8("r" + i))))).toBuilder().setCorrelationId(i).build());
        }
        requests.onCompleted();
        closed.get(30, TimeUnit.SECONDS);
        assertEquals(100, responses.size(), "the server completed the stream before answering every request");
        assertTrue(responses.stream().allMatch(r -> r.getPartitions(0).getErrorCode() == ErrorCode.ERROR_CODE_NONE));
    }

    /** Collects a stream's messages; {@code closed} completes when the server ends the stream. */
    static final class Collecting<T> implements StreamObserver<T> {
        final ConcurrentLinkedQueue<T> values = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void onNext(T value) {
            values.add(value);
        }

        @Override
        public void onError(Throwable t) {
            closed.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            closed.complete(null);
        }
    }

    static <T> StreamObserver<T> observer(CompletableFuture<T> future) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                future.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                future.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                future.complete(null);
            }
        };
    }
}
