package io.tributary.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceServiceGrpc;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordFormat;
import io.tributary.proto.v1.RecordList;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.RecordBatch;
import io.tributary.storage.LogManager;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real node process (SIGKILL) in the middle of a stream of acks=all produces, restarts it on
 * the same data, and checks that every acknowledged record is present at its offset and readable,
 * and that the recovered log holds only whole, valid batches.
 */
@Tag("system")
class CrashRecoverySystemTest {

    private static final int PARTITIONS = 2;

    @TempDir
    Path workDir;

    @Test
    void everyAcknowledgedRecordSurvivesKillMinusNine() throws Exception {
        Path dataDir = workDir.resolve("data");
        Map<Long, String>[] acked = ackedMaps();
        NodeProcess first = NodeProcess.start(workDir, dataDir, 1);
        createTopic(first);
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] producers = new Thread[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            producers[p] = new Thread(() -> produceUntilFailure(first, partition, acked[partition], stop));
            producers[p].start();
        }
        await().atMost(120, TimeUnit.SECONDS).until(() -> acked[0].size() >= 150 && acked[1].size() >= 150);
        first.kill();
        assertFalse(Files.exists(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)),
                "a killed node must not leave a clean-shutdown marker: recovery has to run");
        stop.set(true);
        for (Thread producer : producers) {
            producer.join(60_000);
        }
        first.close();

        try (NodeProcess second = NodeProcess.start(workDir, dataDir, 2)) {
            for (int p = 0; p < PARTITIONS; p++) {
                verifyPartition(second, p, acked[p]);
            }
        }
    }

    @Test
    void sigtermShutsDownCleanlyAndKeepsEverything() throws Exception {
        Path dataDir = workDir.resolve("data");
        Map<Long, String>[] acked = ackedMaps();
        NodeProcess first = NodeProcess.start(workDir, dataDir, 1, "log.flush.on.commit=false");
        createTopic(first);
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> produceUntilFailure(first, 0, acked[0], stop));
        producer.start();
        await().atMost(120, TimeUnit.SECONDS).until(() -> acked[0].size() >= 100);
        stop.set(true);
        producer.join(60_000);
        assertEquals(143, first.terminate(), "SIGTERM ends the JVM with 128 + 15 after the shutdown hook");
        first.close();
        assertTrue(Files.exists(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)),
                "SIGTERM must flush, checkpoint and mark the shutdown clean");
        try (NodeProcess second = NodeProcess.start(workDir, dataDir, 2)) {
            verifyPartition(second, 0, acked[0]);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Long, String>[] ackedMaps() {
        Map<Long, String>[] maps = new Map[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            maps[p] = new ConcurrentHashMap<>();
        }
        return maps;
    }

    private static void createTopic(NodeProcess node) {
        var result = AdminServiceGrpc.newBlockingStub(node.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName("crash")
                        .setNumPartitions(PARTITIONS).putConfigs("segment.bytes", "16384")).build()).getTopics(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
    }

    /** Produces small acks=all batches until the node dies or {@code stop} is set; records what was acknowledged. */
    private static void produceUntilFailure(NodeProcess node, int partition, Map<Long, String> acked,
                                            AtomicBoolean stop) {
        ProduceServiceGrpc.ProduceServiceBlockingStub stub = ProduceServiceGrpc.newBlockingStub(node.channel());
        for (int i = 0; !stop.get(); i++) {
            RecordList.Builder records = RecordList.newBuilder();
            for (int r = 0; r < 3; r++) {
                records.addRecords(Record.newBuilder().setValue(ByteString.copyFromUtf8(
                        "p" + partition + "-req" + i + "-rec" + r + "-" + "z".repeat(100))));
            }
            try {
                PartitionProduceResponse result = stub.withDeadlineAfter(10, TimeUnit.SECONDS).produce(
                        ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).addPartitions(PartitionProduceData
                                .newBuilder().setTopic("crash").setPartition(partition).setRecords(records)).build())
                        .getPartitions(0);
                if (result.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                    for (int r = 0; r < 3; r++) {
                        acked.put(result.getBaseOffset() + r, records.getRecords(r).getValue().toStringUtf8());
                    }
                }
            } catch (StatusRuntimeException e) {
                return;
            }
        }
    }

    private static void verifyPartition(NodeProcess node, int partition, Map<Long, String> acked) {
        FetchServiceGrpc.FetchServiceBlockingStub fetch = FetchServiceGrpc.newBlockingStub(node.channel())
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        Map<Long, String> stored = new java.util.HashMap<>();
        long next = 0;
        long highWatermark;
        do {
            FetchPartitionResponse response = fetch.fetch(FetchRequest.newBuilder()
                    .setRecordFormat(RecordFormat.RECORD_FORMAT_BATCHES).addPartitions(FetchPartition.newBuilder()
                            .setTopic("crash").setPartition(partition).setFetchOffset(next)
                            ).build()).getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, response.getErrorCode(), response.getErrorMessage());
            highWatermark = response.getHighWatermark();
            ByteBuffer bytes = response.getRecordBatches().asReadOnlyByteBuffer();
            for (RecordBatch batch : MemoryRecords.readableRecords(bytes)) {
                batch.ensureValid();
                assertEquals(next, batch.baseOffset(), "offsets must be contiguous after recovery");
                for (io.tributary.common.record.Record record : batch.records()) {
                    stored.put(record.offset(), new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
                }
                next = batch.nextOffset();
            }
        } while (next < highWatermark);
        assertTrue(acked.size() > 0);
        for (Map.Entry<Long, String> e : acked.entrySet()) {
            assertEquals(e.getValue(), stored.get(e.getKey()), "acknowledged record at offset " + e.getKey()
                    + " of partition " + partition + " is missing or different after the crash");
        }
        for (String value : stored.values()) {
            assertTrue(value.startsWith("p" + partition + "-req"), "a stored record is not one that was sent: " + value);
        }
    }
}
