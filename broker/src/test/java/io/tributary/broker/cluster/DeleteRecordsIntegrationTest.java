package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.partition.Partition;
import io.tributary.common.TopicPartition;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.DeleteRecordsPartition;
import io.tributary.proto.v1.DeleteRecordsPartitionResult;
import io.tributary.proto.v1.DeleteRecordsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.ListOffsetsPartition;
import io.tributary.proto.v1.ListOffsetsRequest;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.OffsetSpec;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceServiceGrpc;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordList;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.storage.testing.PowerLossFileIo;
import io.tributary.storage.testing.PowerSupply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeleteRecords on three controllers and three brokers (replication factor 3): the leader moves its
 * log start offset and checkpoints it, the followers take it from the replica fetch stream and the
 * answer waits until every in-sync replica has; it survives restarts and a leader failover, and
 * every refusal carries its error code.
 */
@Tag("integration")
class DeleteRecordsIntegrationTest {

    @TempDir
    Path dir;
    private InProcessCluster cluster;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void configureCluster() {
        cluster = new InProcessCluster(dir, 3, 3, Map.of("replica.lag.time.max.ms", "2000",
                "replica.fetch.wait.max.ms", "200", "replica.fetch.backoff.ms", "100"));
    }

    @AfterEach
    void tearDown() {
        channels.forEach(ManagedChannel::shutdownNow);
        cluster.close();
    }

    @Test
    void followersConvergeAndTheDeletionSurvivesRestartsAndFailover() throws Exception {
        cluster.start();
        TopicPartition tp = new TopicPartition("deleted", 0);
        createTopic(tp.topic(), Map.of("segment.bytes", "100"));
        produce(tp, 10);
        awaitOnEveryReplica(tp, cluster.brokerIds(), Partition::highWatermark, 10);
        int leader = state(tp).leader();

        DeleteRecordsPartitionResult deleted = deleteRecords(leader, tp, 4);

        assertEquals(ErrorCode.ERROR_CODE_NONE, deleted.getErrorCode(), deleted.getErrorMessage());
        assertEquals(4, deleted.getLowWatermark());
        for (int id : cluster.brokerIds()) {
            assertEquals(4, replica(id, tp).logStartOffset(), "the answer waited for in-sync replica " + id);
            assertTrue(Files.readAllLines(cluster.dataDir(id).resolve("log-start-offset-checkpoint"))
                    .contains("deleted 0 4"), "replica " + id + " checkpointed it before reporting it");
            long firstSegment = firstSegmentBaseOffset(cluster.dataDir(id).resolve(tp.toString()));
            assertTrue(firstSegment > 0 && firstSegment <= 4, "replica " + id + " deleted the segments wholly "
                    + "below offset 4; its first segment starts at " + firstSegment);
        }
        FetchPartitionResponse below = fetch(leader, tp, 2);
        assertEquals(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, below.getErrorCode(), below.getErrorMessage());
        assertEquals(4, below.getLogStartOffset());
        assertEquals(4, earliest(leader, tp));

        int follower = state(tp).isr().stream().filter(id -> id != leader).findFirst().orElseThrow();
        cluster.stop(follower);
        cluster.start(follower);
        assertEquals(4, replica(follower, tp).logStartOffset(), "the restarted follower loaded its log start offset");

        cluster.stop(leader);
        await().atMost(30, TimeUnit.SECONDS).until(() -> state(tp).leader() >= 0 && state(tp).leader() != leader);
        int newLeader = state(tp).leader();
        assertEquals(4, replica(newLeader, tp).logStartOffset());
        assertEquals(4, earliest(newLeader, tp));

        DeleteRecordsPartitionResult all = deleteRecords(newLeader, tp, -1);
        assertEquals(ErrorCode.ERROR_CODE_NONE, all.getErrorCode(), all.getErrorMessage());
        assertEquals(10, all.getLowWatermark(), "-1 deletes up to the high watermark");
        cluster.start(leader);
        await().atMost(30, TimeUnit.SECONDS).until(() -> state(tp).isr().contains(leader));
        awaitOnEveryReplica(tp, cluster.brokerIds(), Partition::logStartOffset, 10);
    }

    /**
     * Every replica checkpointed the new log start offset before the answer, so a power loss of all
     * three brokers right after it (each disk keeps only what was fsynced) takes nothing back.
     */
    @Test
    void anAnsweredDeletionSurvivesAPowerLossOfEveryReplica() throws IOException {
        PowerSupply power = new PowerSupply();
        Map<Integer, PowerLossFileIo> disks = new ConcurrentHashMap<>();
        cluster.withLogFileIo(id -> disks.computeIfAbsent(id, unused -> new PowerLossFileIo(power))).start();
        TopicPartition tp = new TopicPartition("power", 0);
        createTopic(tp.topic(), Map.of());
        produce(tp, 10);
        DeleteRecordsPartitionResult deleted = deleteRecords(state(tp).leader(), tp, 4);
        assertEquals(ErrorCode.ERROR_CODE_NONE, deleted.getErrorCode(), deleted.getErrorMessage());

        power.cut();
        cluster.stopInParallel(cluster.brokerIds());
        for (PowerLossFileIo disk : disks.values()) {
            disk.dropUnsyncedData();
        }
        power.restore();
        cluster.startInParallel(cluster.brokerIds());

        for (int id : cluster.brokerIds()) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.node(id).localReplica(tp).isPresent());
            assertEquals(4, replica(id, tp).logStartOffset(), "broker " + id + " after the power loss");
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> state(tp).leader() >= 0);
        assertEquals(4, earliest(state(tp).leader(), tp));
    }

    @Test
    void refusalsCarryTheirErrorCodes() {
        cluster.start();
        TopicPartition tp = new TopicPartition("refusals", 0);
        createTopic(tp.topic(), Map.of());
        createTopic("compacted", Map.of("cleanup.policy", "compact"));
        produce(tp, 5);
        int leader = state(tp).leader();
        int follower = state(tp).replicas().stream().filter(id -> id != leader).findFirst().orElseThrow();

        assertRefused(deleteRecords(follower, tp, 1), ErrorCode.ERROR_CODE_NOT_LEADER_OR_FOLLOWER, "does not lead");
        assertRefused(deleteRecords(leader, tp, 6), ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE,
                "below offset 6: it is above the high watermark 5");
        assertRefused(deleteRecords(leader, tp, -2), ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, "negative");
        assertRefused(deleteRecords(leader, new TopicPartition("missing", 0), 1),
                ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "missing-0");
        assertRefused(deleteRecords(leader, DeleteRecordsPartition.newBuilder().setTopic(tp.topic()).setPartition(-1)
                .setOffset(1).build()), ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "partition -1");
        TopicPartition compacted = new TopicPartition("compacted", 0);
        assertRefused(deleteRecords(state(compacted).leader(), compacted, 0), ErrorCode.ERROR_CODE_POLICY_VIOLATION,
                "cleanup.policy");
        assertEquals(0, replica(leader, tp).logStartOffset(), "no refusal moved the log start offset");

        DeleteRecordsPartitionResult withDefaultTimeout = admin(leader).deleteRecords(DeleteRecordsRequest
                .newBuilder().addPartitions(DeleteRecordsPartition.newBuilder().setTopic(tp.topic()).setPartition(0)
                        .setOffset(2)).build()).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, withDefaultTimeout.getErrorCode(),
                "timeout_ms 0 waits the broker default: " + withDefaultTimeout.getErrorMessage());
        assertEquals(2, withDefaultTimeout.getLowWatermark());
        assertEquals(2, deleteRecords(leader, tp, 1).getLowWatermark(), "a lower offset changes nothing");
    }

    @Test
    void malformedRequestsAreInvalidArguments() {
        cluster.start();
        TopicPartition tp = new TopicPartition("malformed", 0);
        createTopic(tp.topic(), Map.of());
        DeleteRecordsPartition entry = DeleteRecordsPartition.newBuilder().setTopic(tp.topic()).setPartition(0).build();

        assertInvalidArgument(DeleteRecordsRequest.getDefaultInstance(), "partitions must not be empty");
        assertInvalidArgument(DeleteRecordsRequest.newBuilder().addPartitions(entry).addPartitions(entry).build(),
                "more than once");
        assertInvalidArgument(DeleteRecordsRequest.newBuilder().addPartitions(entry).setTimeoutMs(-1).build(),
                "timeout_ms");
        assertInvalidArgument(DeleteRecordsRequest.newBuilder().addPartitions(entry.toBuilder().setTopic("")).build(),
                "partitions[0].topic");
    }

    private void assertInvalidArgument(DeleteRecordsRequest request, String fragment) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> admin(1).deleteRecords(request));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(fragment), e.getStatus().getDescription());
    }

    /** The base offset of the partition directory's first live segment (deleted ones end in .deleted). */
    private static long firstSegmentBaseOffset(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".log"))
                    .mapToLong(name -> Long.parseLong(name.substring(0, name.length() - ".log".length())))
                    .min().orElseThrow();
        }
    }

    private static void assertRefused(DeleteRecordsPartitionResult result, ErrorCode code, String fragment) {
        assertEquals(code, result.getErrorCode(), result.toString());
        assertEquals(-1, result.getLowWatermark());
        assertTrue(result.getErrorMessage().contains(fragment), result.getErrorMessage());
    }

    private interface ReplicaOffset {
        long of(Partition replica);
    }

    private void awaitOnEveryReplica(TopicPartition tp, List<Integer> brokers, ReplicaOffset offset, long expected) {
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            for (int id : brokers) {
                assertEquals(expected, offset.of(replica(id, tp)), "broker " + id);
            }
        });
    }

    private DeleteRecordsPartitionResult deleteRecords(int brokerId, TopicPartition tp, long offset) {
        return deleteRecords(brokerId, DeleteRecordsPartition.newBuilder().setTopic(tp.topic())
                .setPartition(tp.partition()).setOffset(offset).build());
    }

    private DeleteRecordsPartitionResult deleteRecords(int brokerId, DeleteRecordsPartition partition) {
        return admin(brokerId).deleteRecords(DeleteRecordsRequest.newBuilder().addPartitions(partition)
                .setTimeoutMs(10_000).build()).getPartitions(0);
    }

    private AdminServiceGrpc.AdminServiceBlockingStub admin(int brokerId) {
        return AdminServiceGrpc.newBlockingStub(channel(brokerId)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private FetchPartitionResponse fetch(int brokerId, TopicPartition tp, long offset) {
        return FetchServiceGrpc.newBlockingStub(channel(brokerId)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .fetch(FetchRequest.newBuilder().addPartitions(FetchPartition.newBuilder().setTopic(tp.topic())
                        .setPartition(tp.partition()).setFetchOffset(offset)).build()).getPartitions(0);
    }

    private long earliest(int brokerId, TopicPartition tp) {
        var answer = FetchServiceGrpc.newBlockingStub(channel(brokerId)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .listOffsets(ListOffsetsRequest.newBuilder().addPartitions(ListOffsetsPartition.newBuilder()
                        .setTopic(tp.topic()).setPartition(tp.partition()).setSpec(OffsetSpec.OFFSET_SPEC_EARLIEST))
                        .build()).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, answer.getErrorCode(), answer.getErrorMessage());
        return answer.getOffset();
    }

    private ManagedChannel channel(int brokerId) {
        int port = Integer.parseInt(cluster.bootstrap(brokerId).split(":")[1]);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private void createTopic(String name, Map<String, String> configs) {
        NewTopic topic = NewTopic.newBuilder().setName(name).setNumPartitions(1).setReplicationFactor(3)
                .putAllConfigs(configs).build();
        ErrorCode code = admin(1).createTopics(CreateTopicsRequest.newBuilder().addTopics(topic).build())
                .getTopics(0).getErrorCode();
        assertEquals(ErrorCode.ERROR_CODE_NONE, code);
        cluster.awaitTopic(name);
        await().atMost(30, TimeUnit.SECONDS).until(() -> state(new TopicPartition(name, 0)).leader() >= 0
                && cluster.node(state(new TopicPartition(name, 0)).leader()).localReplica(new TopicPartition(name, 0))
                .map(Partition::isLeader).orElse(false));
    }

    private PartitionImage state(TopicPartition tp) {
        int running = cluster.brokerIds().stream().filter(id -> cluster.node(id) != null).findFirst().orElseThrow();
        return cluster.node(running).metadataImage().topic(tp.topic()).orElseThrow().partitions().get(tp.partition());
    }

    private Partition replica(int brokerId, TopicPartition tp) {
        return cluster.node(brokerId).localReplica(tp).orElseThrow();
    }

    /** Produces {@code count} single-record batches with acks=all to the leader; each must succeed. */
    private void produce(TopicPartition tp, int count) {
        var stub = ProduceServiceGrpc.newBlockingStub(channel(state(tp).leader()));
        for (int i = 0; i < count; i++) {
            Record record = Record.newBuilder().setValue(ByteString.copyFromUtf8("value-" + i)).build();
            var result = stub.withDeadlineAfter(30, TimeUnit.SECONDS).produce(ProduceRequest.newBuilder()
                    .setAcks(Acks.ACKS_ALL).setTimeoutMs(10_000).addPartitions(PartitionProduceData.newBuilder()
                            .setTopic(tp.topic()).setPartition(tp.partition())
                            .setRecords(RecordList.newBuilder().addRecords(record))).build()).getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
        }
    }
}
