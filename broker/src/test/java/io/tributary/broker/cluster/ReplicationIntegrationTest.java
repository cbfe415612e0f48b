package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.partition.Partition;
import io.tributary.common.TopicPartition;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.RecordBatch;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceServiceGrpc;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordList;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.storage.io.FileIo;
import io.tributary.storage.testing.FaultyFileIo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition replication on three controllers and three brokers in one JVM: followers fetch over
 * the Replicate stream, the high watermark covers the ISR, the ISR changes through AlterPartition,
 * and acks=all honours min.insync.replicas.
 */
@Tag("integration")
class ReplicationIntegrationTest {

    @TempDir
    Path dir;
    private InProcessCluster cluster;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startCluster() {
        cluster = new InProcessCluster(dir, 3, 3, Map.of("replica.lag.time.max.ms", "2000",
                "replica.fetch.wait.max.ms", "200", "replica.fetch.backoff.ms", "100")).start();
    }

    private ManagedChannel channel(int brokerId) {
        int port = Integer.parseInt(cluster.bootstrap(brokerId).split(":")[1]);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private void createTopic(String name, int partitions, Map<String, String> configs) {
        NewTopic.Builder topic = NewTopic.newBuilder().setName(name).setNumPartitions(partitions)
                .setReplicationFactor(3);
        topic.putAllConfigs(configs);
        ErrorCode code = AdminServiceGrpc.newBlockingStub(channel(1)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(topic).build()).getTopics(0).getErrorCode();
        assertEquals(ErrorCode.ERROR_CODE_NONE, code);
        cluster.awaitTopic(name);
    }

    private PartitionImage state(TopicPartition tp) {
        int running = cluster.brokerIds().stream().filter(id -> cluster.node(id) != null).findFirst().orElseThrow();
        return cluster.node(running).metadataImage().topic(tp.topic()).orElseThrow().partitions().get(tp.partition());
    }

    /**
     * Produces {@code count} single-record batches with acks=all to the current leader; a request the
     * node refuses as a whole is reported as BROKER_NOT_AVAILABLE.
     */
    private List<PartitionProduceResponse> produce(TopicPartition tp, int first, int count) {
        int leader = state(tp).leader();
        ProduceServiceGrpc.ProduceServiceBlockingStub stub = ProduceServiceGrpc.newBlockingStub(channel(leader));
        List<PartitionProduceResponse> results = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            Record record = Record.newBuilder().setValue(ByteString.copyFromUtf8("value-" + i)).build();
            ProduceRequest request = ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).setTimeoutMs(10_000)
                    .addPartitions(PartitionProduceData.newBuilder().setTopic(tp.topic()).setPartition(tp.partition())
                            .setRecords(RecordList.newBuilder().addRecords(record)))
                    .build();
            try {
                results.add(stub.withDeadlineAfter(30, TimeUnit.SECONDS).produce(request).getPartitions(0));
            } catch (StatusRuntimeException e) {
                // The node refused the request as a whole (it stopped serving): nothing acknowledged.
                results.add(PartitionProduceResponse.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_BROKER_NOT_AVAILABLE)
                        .setErrorMessage(e.getMessage()).build());
            }
        }
        return results;
    }

    private Partition replica(int brokerId, TopicPartition tp) {
        return cluster.node(brokerId).localReplica(tp).orElseThrow();
    }

    /** The replica's log bytes below its high watermark. */
    private static ByteBuffer committedBytes(Partition replica) {
        return replica.log().read(replica.logStartOffset(), Integer.MAX_VALUE, replica.highWatermark(), true)
                .records();
    }

    /** The values of the replica's committed records, in offset order. */
    private static List<String> values(Partition replica) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(committedBytes(replica))) {
            for (io.tributary.common.record.Record record : batch.records()) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private void awaitIdenticalReplicas(TopicPartition tp, List<Integer> brokers, long endOffset) {
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            for (int id : brokers) {
                assertEquals(endOffset, replica(id, tp).highWatermark(), "high watermark on broker " + id);
                assertEquals(endOffset, replica(id, tp).logEndOffset(), "log end offset on broker " + id);
            }
        });
        ByteBuffer reference = committedBytes(replica(brokers.get(0), tp));
        for (int id : brokers) {
            assertEquals(reference, committedBytes(replica(id, tp)), "committed bytes on broker " + id);
        }
    }

    @Test
    void acknowledgedWritesAreOnEveryReplicaByteForByte() {
        startCluster();
        createTopic("replicated", 2, Map.of());
        for (int p = 0; p < 2; p++) {
            TopicPartition tp = new TopicPartition("replicated", p);
            List<PartitionProduceResponse> results = produce(tp, 0, 50);
            for (int i = 0; i < results.size(); i++) {
                assertEquals(ErrorCode.ERROR_CODE_NONE, results.get(i).getErrorCode(), results.get(i).toString());
                assertEquals(i, results.get(i).getBaseOffset());
            }
            awaitIdenticalReplicas(tp, cluster.brokerIds(), 50);
            assertEquals(List.of(1, 2, 3), state(tp).isr().stream().sorted().toList());
        }
    }

    @Test
    void aStoppedFollowerCatchesUpAfterRestartAndRejoinsTheIsr() throws Exception {
        startCluster();
        createTopic("rejoin", 1, Map.of());
        TopicPartition tp = new TopicPartition("rejoin", 0);
        produce(tp, 0, 10);
        int follower = state(tp).replicas().stream().filter(r -> r != state(tp).leader()).findFirst().orElseThrow();
        await().atMost(20, TimeUnit.SECONDS).until(() -> replica(follower, tp).highWatermark() == 10);
        cluster.stop(follower);
        assertTrue(Files.readAllLines(cluster.dataDir(follower).resolve("replication-offset-checkpoint"))
                .contains("rejoin 0 10"), "the follower's high watermark is checkpointed at shutdown");
        await().atMost(20, TimeUnit.SECONDS).until(() -> !state(tp).isr().contains(follower));
        int epochWithoutIt = state(tp).partitionEpoch();
        produce(tp, 10, 10).forEach(r -> assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.toString()));

        cluster.start(follower);
        await().atMost(30, TimeUnit.SECONDS).until(() -> state(tp).isr().contains(follower));
        assertTrue(state(tp).partitionEpoch() > epochWithoutIt, "the ISR expansion went through the controller");
        awaitIdenticalReplicas(tp, cluster.brokerIds(), 20);
    }

    @Test
    void aLeaderWhoseDiskFailsIsFencedAndItsPartitionsMoveOn() {
        Map<Integer, FaultyFileIo> disks = Map.of(1, new FaultyFileIo(), 2, new FaultyFileIo(), 3, new FaultyFileIo());
        cluster = new InProcessCluster(dir, 3, 3, Map.of("replica.lag.time.max.ms", "2000",
                "replica.fetch.wait.max.ms", "200", "replica.fetch.backoff.ms", "100"))
                .withLogFileIo(id -> disks.containsKey(id) ? disks.get(id) : FileIo.system()).start();
        createTopic("disk", 1, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition("disk", 0);
        produce(tp, 0, 10).forEach(r -> assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.toString()));
        int failed = state(tp).leader();
        int witness = cluster.brokerIds().stream().filter(id -> id != failed).findFirst().orElseThrow();

        disks.get(failed).failAlways(FaultyFileIo.Op.FORCE, ".log");
        List<PartitionProduceResponse> during = produce(tp, 10, 5);

        assertTrue(during.stream().allMatch(r -> r.getErrorCode() != ErrorCode.ERROR_CODE_NONE),
                "nothing is acknowledged by a leader that cannot fsync: " + during);
        await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.node(witness).metadataImage().brokers().get(failed)
                .fenced());
        await().atMost(30, TimeUnit.SECONDS).until(() -> state(tp).leader() >= 0 && state(tp).leader() != failed
                && !state(tp).isr().contains(failed));
        produce(tp, 100, 5).forEach(r -> assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.toString()));
        List<String> committed = values(replica(state(tp).leader(), tp));
        for (int i = 0; i < 10; i++) {
            assertTrue(committed.contains("value-" + i), "value-" + i + ", acknowledged before the disk failed");
        }
        assertTrue(committed.containsAll(List.of("value-100", "value-104")), committed.toString());
    }

    @Test
    void acksAllWithTooFewInSyncReplicasFailsAndAppendsNothing() {
        startCluster();
        createTopic("strict", 1, Map.of("min.insync.replicas", "3"));
        TopicPartition tp = new TopicPartition("strict", 0);
        produce(tp, 0, 5).forEach(r -> assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.toString()));
        int follower = state(tp).replicas().stream().filter(r -> r != state(tp).leader()).findFirst().orElseThrow();
        cluster.stop(follower);
        await().atMost(20, TimeUnit.SECONDS).until(() -> state(tp).isr().size() == 2);
        int leader = state(tp).leader();
        await().atMost(10, TimeUnit.SECONDS).until(() -> replica(leader, tp).isr().size() == 2);
        long endBefore = replica(leader, tp).logEndOffset();

        PartitionProduceResponse refused = produce(tp, 5, 1).get(0);

        assertEquals(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, refused.getErrorCode(), refused.toString());
        assertTrue(refused.getErrorMessage().contains("min.insync.replicas is 3"), refused.getErrorMessage());
        assertEquals(endBefore, replica(leader, tp).logEndOffset(), "nothing was appended");
    }

    @Test
    void leadershipMovesToAnInSyncReplicaWithEveryAcknowledgedWrite() {
        startCluster();
        createTopic("failover", 1, Map.of());
        TopicPartition tp = new TopicPartition("failover", 0);
        produce(tp, 0, 30).forEach(r -> assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.toString()));
        int oldLeader = state(tp).leader();
        int oldEpoch = state(tp).leaderEpoch();

        cluster.stop(oldLeader);
        await().atMost(20, TimeUnit.SECONDS).until(() -> state(tp).leader() >= 0 && state(tp).leader() != oldLeader);
        assertNotEquals(oldLeader, state(tp).leader());
        assertTrue(state(tp).leaderEpoch() > oldEpoch);
        produce(tp, 30, 10).forEach(r -> assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.toString()));
        List<Integer> remaining = cluster.brokerIds().stream().filter(id -> id != oldLeader).toList();
        awaitIdenticalReplicas(tp, remaining, 40);
        List<String> committed = values(replica(state(tp).leader(), tp));
        for (int i = 0; i < 40; i++) {
            assertTrue(committed.contains("value-" + i), "value-" + i + " survived the failover");
        }
    }
}
