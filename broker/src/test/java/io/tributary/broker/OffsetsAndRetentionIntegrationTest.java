package io.tributary.broker;

import static io.tributary.broker.ProduceFetchIntegrationTest.fetchRequest;
import static io.tributary.broker.ProduceFetchIntegrationTest.produceRequest;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsPartitionResponse;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.OffsetSpec;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordFormat;
import io.tributary.proto.v1.RecordList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class OffsetsAndRetentionIntegrationTest {

    @TempDir
    Path dataDir;
    private TestNode node;

    @AfterEach
    void stop() {
        node.close();
    }

    /** Produces {@code count} batches of 4 records; record i of the whole stream has timestamp base + 10 * i. */
    private void produceTimestamped(String topic, int batches, long baseTimestampMs) {
        int i = 0;
        for (int b = 0; b < batches; b++) {
            RecordList.Builder list = RecordList.newBuilder();
            for (int r = 0; r < 4; r++, i++) {
                list.addRecords(Record.newBuilder().setTimestampMs(baseTimestampMs + 10L * i)
                        .setValue(ByteString.copyFromUtf8("record-" + i + "-" + "p".repeat(200))));
            }
            assertEquals(ErrorCode.ERROR_CODE_NONE, node.produce().produce(produceRequest(topic, 0, Acks.ACKS_ALL,
                    PartitionProduceData.newBuilder().setRecords(list))).getPartitions(0).getErrorCode());
        }
    }

    private ListOffsetsPartitionResponse listOffsets(String topic, ListOffsetsPartition.Builder query) {
        return node.fetch().listOffsets(ListOffsetsRequest.newBuilder()
                .addPartitions(query.setTopic(topic).setPartition(0)).build()).getPartitions(0);
    }

    private static long segmentCount(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).count();
        }
    }

    @Test
    void listOffsetsByTimestampFindsTheRightOffsetAcrossSegments() throws IOException {
        node = new TestNode(dataDir);
        node.createTopic("ts", 1, Map.of("segment.bytes", "2048"));
        long base = System.currentTimeMillis() - 60_000;
        produceTimestamped("ts", 20, base);
        assertTrue(segmentCount(dataDir.resolve("ts-0")) >= 5, "the test needs several segments");

        for (int target : new int[] {0, 1, 7, 33, 40, 41, 79}) {
            ListOffsetsPartitionResponse found = listOffsets("ts",
                    ListOffsetsPartition.newBuilder().setTimestampMs(base + 10L * target - 5));
            assertEquals(ErrorCode.ERROR_CODE_NONE, found.getErrorCode(), found.getErrorMessage());
            assertEquals(target, found.getOffset(), "timestamp just before record " + target);
            assertEquals(base + 10L * target, found.getTimestampMs());
            ListOffsetsPartitionResponse exact = listOffsets("ts",
                    ListOffsetsPartition.newBuilder().setTimestampMs(base + 10L * target));
            assertEquals(target, exact.getOffset(), "exact timestamp of record " + target);
        }
        assertEquals(-1, listOffsets("ts", ListOffsetsPartition.newBuilder().setTimestampMs(base + 100_000))
                .getOffset(), "no record is that new");
        assertEquals(0, listOffsets("ts", ListOffsetsPartition.newBuilder().setSpec(OffsetSpec.OFFSET_SPEC_EARLIEST))
                .getOffset());
        assertEquals(80, listOffsets("ts", ListOffsetsPartition.newBuilder().setSpec(OffsetSpec.OFFSET_SPEC_LATEST))
                .getOffset());
        ListOffsetsPartitionResponse max = listOffsets("ts",
                ListOffsetsPartition.newBuilder().setSpec(OffsetSpec.OFFSET_SPEC_MAX_TIMESTAMP));
        assertEquals(79, max.getOffset());
        assertEquals(base + 790, max.getTimestampMs());

        node.restart();
        assertEquals(41, listOffsets("ts", ListOffsetsPartition.newBuilder().setTimestampMs(base + 405)).getOffset(),
                "time indexes must work after a restart too");
    }

    @Test
    void retentionBySizeDeletesOldSegmentsButNeverTheActiveOne() throws IOException {
        node = new TestNode(dataDir, Map.of("log.retention.check.interval.ms", "100",
                "log.segment.delete.delay.ms", "0"));
        node.createTopic("sized", 1, Map.of("segment.bytes", "2048", "retention.bytes", "4096"));
        produceTimestamped("sized", 20, System.currentTimeMillis());
        Path dir = dataDir.resolve("sized-0");
        await().atMost(30, TimeUnit.SECONDS).until(() -> segmentCount(dir) <= 3);
        FetchPartitionResponse below = node.fetch().fetch(fetchRequest("sized", 0, 0,
                RecordFormat.RECORD_FORMAT_RECORDS)).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, below.getErrorCode());
        long start = listOffsets("sized", ListOffsetsPartition.newBuilder().setSpec(OffsetSpec.OFFSET_SPEC_EARLIEST))
                .getOffset();
        assertTrue(start > 0);
        FetchPartitionResponse tail = node.fetch().fetch(fetchRequest("sized", 0, start,
                RecordFormat.RECORD_FORMAT_RECORDS)).getPartitions(0);
        assertEquals(start, tail.getRecords().getRecords(0).getOffset());
        assertEquals(80, tail.getHighWatermark());
    }

    @Test
    void retentionByTimeDeletesSegmentsOfOldRecordsButKeepsTheActiveSegment() throws IOException {
        node = new TestNode(dataDir, Map.of("log.retention.check.interval.ms", "100",
                "log.segment.delete.delay.ms", "0"));
        node.createTopic("aged", 1, Map.of("segment.bytes", "2048", "retention.ms", "600000"));
        produceTimestamped("aged", 20, System.currentTimeMillis() - 3_600_000);
        Path dir = dataDir.resolve("aged-0");
        await().atMost(30, TimeUnit.SECONDS).until(() -> segmentCount(dir) == 1);
        ListOffsetsPartitionResponse earliest = listOffsets("aged",
                ListOffsetsPartition.newBuilder().setSpec(OffsetSpec.OFFSET_SPEC_EARLIEST));
        assertTrue(earliest.getOffset() > 0 && earliest.getOffset() <= 80, "log start " + earliest.getOffset());
        assertEquals(80, listOffsets("aged", ListOffsetsPartition.newBuilder().setSpec(OffsetSpec.OFFSET_SPEC_LATEST))
                .getOffset());
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, node.fetch().fetch(fetchRequest("aged", 0, 0,
                RecordFormat.RECORD_FORMAT_RECORDS)).getPartitions(0).getErrorCode());
    }
}
