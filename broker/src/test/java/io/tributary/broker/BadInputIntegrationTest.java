package io.tributary.broker;

import static io.tributary.broker.ProduceFetchIntegrationTest.fetchRequest;
import static io.tributary.broker.ProduceFetchIntegrationTest.produceRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordFormat;
import io.tributary.proto.v1.RecordList;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input never crashes the node or damages data: each kind is answered with the right error code
 * or status and a message naming the problem, and the good data written before and after is intact.
 */
@Tag("integration")
class BadInputIntegrationTest {

    @TempDir
    Path dataDir;
    private TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode(dataDir);
        node.createTopic("t", 1, Map.of("max.message.bytes", "2048"));
        produceGood("before");
    }

    @AfterEach
    void checkDataIntactAndStop() {
        produceGood("after");
        List<Record> records = node.fetch().fetch(fetchRequest("t", 0, 0, RecordFormat.RECORD_FORMAT_RECORDS))
                .getPartitions(0).getRecords().getRecordsList();
        assertEquals(2, records.size(), "only the two good records may be stored");
        assertEquals("before", records.get(0).getValue().toStringUtf8());
        assertEquals("after", records.get(1).getValue().toStringUtf8());
        assertEquals(1, records.get(1).getOffset());
        node.close();
    }

    private void produceGood(String value) {
        PartitionProduceResponse result = node.produce().produce(produceRequest("t", 0, Acks.ACKS_ALL,
                PartitionProduceData.newBuilder().setRecords(RecordList.newBuilder().addRecords(
                        Record.newBuilder().setValue(ByteString.copyFromUtf8(value)))))).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
    }

    private PartitionProduceResponse produceRaw(String topic, int partition, ByteBuffer bytes) {
        return node.produce().produce(produceRequest(topic, partition, Acks.ACKS_ALL, PartitionProduceData.newBuilder()
                .setRecordBatches(ByteString.copyFrom(bytes)))).getPartitions(0);
    }

    private static ByteBuffer goodBatch(int valueBytes) {
        return new RecordBatchBuilder().append(System.currentTimeMillis(), null, new byte[valueBytes], List.of())
                .build();
    }

    private static void assertError(PartitionProduceResponse result, ErrorCode code, String fragment) {
        assertEquals(code, result.getErrorCode(), result.toString());
        assertTrue(result.getErrorMessage().toLowerCase().contains(fragment.toLowerCase()), result.getErrorMessage());
        assertEquals(-1, result.getBaseOffset());
    }

    @Test
    void aWrongCrcIsCorruptMessage() {
        ByteBuffer batch = goodBatch(10);
        int last = batch.limit() - 1;
        batch.put(last, (byte) (batch.get(last) ^ 0x5a));
        assertError(produceRaw("t", 0, batch), ErrorCode.ERROR_CODE_CORRUPT_MESSAGE, "crc");
    }

    @Test
    void garbageBytesAreCorruptMessage() {
        byte[] garbage = new byte[200];
        new Random(42).nextBytes(garbage);
        assertError(produceRaw("t", 0, ByteBuffer.wrap(garbage)), ErrorCode.ERROR_CODE_CORRUPT_MESSAGE, "");
        assertError(produceRaw("t", 0, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))),
                ErrorCode.ERROR_CODE_CORRUPT_MESSAGE, "");
    }

    @Test
    void aTruncatedBatchAndTrailingGarbageAreCorruptMessage() {
        ByteBuffer batch = goodBatch(50);
        ByteBuffer truncated = batch.duplicate().limit(batch.limit() - 7);
        assertError(produceRaw("t", 0, truncated), ErrorCode.ERROR_CODE_CORRUPT_MESSAGE, "");
        ByteBuffer withTail = ByteBuffer.allocate(batch.remaining() + 5);
        withTail.put(batch.duplicate()).put(new byte[] {1, 2, 3, 4, 5}).flip();
        assertError(produceRaw("t", 0, withTail), ErrorCode.ERROR_CODE_CORRUPT_MESSAGE, "");
    }

    @Test
    void aWrongMagicIsUnsupportedFormat() {
        ByteBuffer batch = goodBatch(10);
        batch.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        assertError(produceRaw("t", 0, batch), ErrorCode.ERROR_CODE_UNSUPPORTED_FOR_MESSAGE_FORMAT, "magic");
    }

    @Test
    void anOversizedBatchIsRecordTooLarge() {
        assertError(produceRaw("t", 0, goodBatch(4000)), ErrorCode.ERROR_CODE_RECORD_TOO_LARGE, "2048");
    }

    @Test
    void unknownTopicsAndPartitionsAreReportedPerPartition() {
        assertError(produceRaw("nope", 0, goodBatch(1)), ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "nope");
        assertError(produceRaw("t", 7, goodBatch(1)), ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "t-7");
        assertError(produceRaw("t", -1, goodBatch(1)), ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "-1");
        FetchPartitionResponse fetch = node.fetch().fetch(fetchRequest("nope", 0, 0,
                RecordFormat.RECORD_FORMAT_RECORDS)).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, fetch.getErrorCode());
    }

    @Test
    void negativeAndOutOfRangeFetchOffsetsAreOffsetOutOfRange() {
        for (long offset : new long[] {-1, -100, 5}) {
            FetchPartitionResponse fetch = node.fetch().fetch(fetchRequest("t", 0, offset,
                    RecordFormat.RECORD_FORMAT_RECORDS)).getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, fetch.getErrorCode(), "offset " + offset);
            assertTrue(fetch.getErrorMessage().contains(String.valueOf(offset)), fetch.getErrorMessage());
            assertEquals(0, fetch.getLogStartOffset(), "the answer says where the log starts");
            assertTrue(fetch.getHighWatermark() >= 0, "and where it ends: " + fetch.getHighWatermark());
        }
    }

    @Test
    void aTimestampTooFarInTheFutureIsInvalidTimestamp() {
        ByteBuffer batch = new RecordBatchBuilder().append(System.currentTimeMillis() + 86_400_000L, null,
                new byte[1], List.of()).build();
        assertError(produceRaw("t", 0, batch), ErrorCode.ERROR_CODE_INVALID_TIMESTAMP, "timestamp");
    }

    @Test
    void aLeaderEpochNewerThanTheNodeKnowsIsUnknownLeaderEpoch() {
        FetchPartitionResponse fetch = node.fetch().fetch(FetchRequest.newBuilder().addPartitions(
                FetchPartition.newBuilder().setTopic("t").setPartition(0).setCurrentLeaderEpoch(3)).build())
                .getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH, fetch.getErrorCode());
    }

    @Test
    void malformedRequestsAreInvalidArgumentNamingTheField() {
        assertInvalidArgument(() -> node.produce().produce(ProduceRequest.getDefaultInstance()), "partitions");
        assertInvalidArgument(() -> node.produce().produce(ProduceRequest.newBuilder().setTimeoutMs(-5)
                .addPartitions(PartitionProduceData.newBuilder().setTopic("t")).build()), "timeout_ms");
        assertInvalidArgument(() -> node.produce().produce(ProduceRequest.newBuilder()
                .addPartitions(PartitionProduceData.newBuilder().setTopic("t")).build()), "neither records");
        assertInvalidArgument(() -> node.produce().produce(ProduceRequest.newBuilder()
                .addPartitions(PartitionProduceData.newBuilder().setRecordBatches(ByteString.copyFrom(goodBatch(1))))
                .build()), "topic");
        assertInvalidArgument(() -> node.fetch().fetch(FetchRequest.newBuilder().setMaxWaitMs(-1)
                .addPartitions(FetchPartition.newBuilder().setTopic("t")).build()), "max_wait_ms");
        assertInvalidArgument(() -> node.fetch().fetch(FetchRequest.newBuilder()
                .addPartitions(FetchPartition.newBuilder().setTopic("t"))
                .addPartitions(FetchPartition.newBuilder().setTopic("t")).build()), "more than once");
    }

    private static void assertInvalidArgument(Runnable call, String fragment) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(fragment), e.getStatus().getDescription());
    }
}
