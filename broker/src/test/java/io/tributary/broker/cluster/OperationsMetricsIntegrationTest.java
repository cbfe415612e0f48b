package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.metrics.ScrapeAccess;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.Coordinator;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.DeleteGroupsRequest;
import io.tributary.proto.v1.DeleteGroupsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchServiceGrpc;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.GroupServiceGrpc;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.OffsetDeleteRequest;
import io.tributary.proto.v1.OffsetDeleteResponse;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceServiceGrpc;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordList;
import io.tributary.proto.v1.TopicPartitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations metrics on three controllers and three brokers over real gRPC, scraped over HTTP:
 * consumer-group lag on the group's coordinator (partitions led there and elsewhere), records out,
 * the metadata quorum's replication as the active controller sees it, every metric the Grafana
 * dashboard queries, and lag rows going with deleted offsets and groups.
 */
@Tag("integration")
class OperationsMetricsIntegrationTest {

    private static final String TOPIC = "lagged";
    private static final String GROUP = "billing";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 20;
    private static final long FIRST_COMMIT = 7;

    @TempDir
    Path dir;
    private InProcessCluster cluster;
    private final Map<Integer, ManagedChannel> channels = new HashMap<>();

    @AfterEach
    void tearDown() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void groupLagRecordsOutRaftReplicationAndTheDashboardsMetrics() throws IOException {
        cluster = new InProcessCluster(dir, 3, 3, Map.of("metrics.group.lag.refresh.ms", "200",
                "offsets.topic.num.partitions", "3", "auto.leader.rebalance.enable", "false")).start();
        createTopic();
        int coordinator = awaitCoordinator(1, -1);
        Map<Integer, Integer> leaders = leaders();
        // Leaders walk round the brokers, so the coordinator leads at most one partition: the others'
        // end offsets must come from their leaders.
        assertTrue(leaders.values().stream().filter(leader -> leader != coordinator).count() >= 2, leaders.toString());
        for (int partition = 0; partition < PARTITIONS; partition++) {
            produce(leaders.get(partition), partition);
        }
        commit(coordinator, FIRST_COMMIT);
        int port = cluster.node(coordinator).metricsPort();
        // Partitions the coordinator does not lead are asked of their leaders by the background refresh.
        await().atMost(30, TimeUnit.SECONDS).until(() -> allLags(port, RECORDS - FIRST_COMMIT));
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assertEquals(FIRST_COMMIT, ScrapeAccess.value(port, "tributary_consumer_group_committed_offset",
                    row(partition)).orElseThrow());
        }
        assertEquals(0, ScrapeAccess.value(port, "tributary_consumer_group_members", Map.of("group", GROUP))
                .orElseThrow());
        for (int other : cluster.brokerIds()) {
            if (other != coordinator) {
                assertTrue(ScrapeAccess.samples(cluster.node(other).metricsPort(), "tributary_consumer_group_lag")
                        .isEmpty(), "only the coordinator exports the group's lag");
            }
        }
        commit(coordinator, RECORDS);
        await().atMost(30, TimeUnit.SECONDS).until(() -> allLags(port, 0));

        long fetched = 0;
        for (int partition = 0; partition < PARTITIONS; partition++) {
            fetched += fetchAll(leaders.get(partition), partition);
        }
        assertEquals(PARTITIONS * RECORDS, fetched);
        assertEquals(fetched, sumOverBrokers("tributary_records_out_total", Map.of("topic", TOPIC)),
                "records out counts consumer fetches only, not replication");

        assertTheActiveControllerSeesTheQuorumCaughtUp();
        // A refused request, so the RPC error counter the dashboard plots has a row.
        assertThrows(StatusRuntimeException.class, () -> ProduceServiceGrpc.newBlockingStub(channel(1))
                .produce(ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).build()));
        assertEveryDashboardMetricIsServed();

        // The coordinator stops: the group's new coordinator loads it and exports its rows instead.
        cluster.stop(coordinator);
        int via = cluster.brokerIds().stream().filter(id -> id != coordinator).findFirst().orElseThrow();
        int next = awaitCoordinator(via, coordinator);
        int nextPort = cluster.node(next).metricsPort();
        await().atMost(60, TimeUnit.SECONDS).until(() -> allLags(nextPort, 0));
        assertEquals(RECORDS, ScrapeAccess.value(nextPort, "tributary_consumer_group_committed_offset", row(0))
                .orElseThrow());

        assertRowsGoWithDeletedOffsetsAndGroups(next, nextPort);
    }

    /** OffsetDelete takes the partition's rows away at once, DeleteGroups every row of the group. */
    private void assertRowsGoWithDeletedOffsetsAndGroups(int coordinator, int port) {
        GroupServiceGrpc.GroupServiceBlockingStub groups = GroupServiceGrpc.newBlockingStub(channel(coordinator));
        OffsetDeleteResponse deleted = groups.withDeadlineAfter(10, TimeUnit.SECONDS).offsetDelete(OffsetDeleteRequest
                .newBuilder().setGroupId(GROUP).addTopics(TopicPartitions.newBuilder().setTopic(TOPIC).addPartitions(0))
                .build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, deleted.getErrorCode(), deleted.toString());
        await().atMost(30, TimeUnit.SECONDS).until(() -> ScrapeAccess.value(port, "tributary_consumer_group_lag",
                row(0)).isEmpty() && ScrapeAccess.value(port, "tributary_consumer_group_committed_offset", row(0))
                .isEmpty());
        assertTrue(ScrapeAccess.value(port, "tributary_consumer_group_lag", row(1)).isPresent(),
                "the group's other partitions keep their rows");

        DeleteGroupsResponse gone = groups.withDeadlineAfter(10, TimeUnit.SECONDS).deleteGroups(
                DeleteGroupsRequest.newBuilder().addGroupIds(GROUP).build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, gone.getResults(0).getErrorCode(), gone.toString());
        await().atMost(30, TimeUnit.SECONDS).until(() -> ScrapeAccess.samples(port, "tributary_consumer_group_lag")
                .isEmpty() && ScrapeAccess.samples(port, "tributary_consumer_group_committed_offset").isEmpty()
                && ScrapeAccess.samples(port, "tributary_consumer_group_members").isEmpty());
    }

    private void assertTheActiveControllerSeesTheQuorumCaughtUp() {
        int[] active = {-1};
        await().atMost(30, TimeUnit.SECONDS).until(() -> (active[0] = cluster.agreedActiveController()) >= 0);
        int port = cluster.node(active[0]).metricsPort();
        Set<Map<String, String>> expectedRows = new HashSet<>();
        cluster.controllerIds().forEach(id -> expectedRows.add(Map.of("node_id", id.toString(), "role", "voter")));
        cluster.brokerIds().forEach(id -> expectedRows.add(Map.of("node_id", id.toString(), "role", "observer")));
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            Map<Map<String, String>, Double> lag = ScrapeAccess.samples(port, "tributary_raft_replica_lag_offsets");
            return lag.keySet().equals(expectedRows) && lag.values().stream().allMatch(v -> v == 0);
        });
        assertEquals(expectedRows, ScrapeAccess.samples(port, "tributary_raft_replica_fetch_age_seconds").keySet());
        await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.controllerIds().stream()
                .map(id -> ScrapeAccess.get(cluster.node(id).metricsPort(), "tributary_raft_high_watermark"))
                .distinct().count() == 1);
        assertTrue(ScrapeAccess.get(port, "tributary_raft_elections_total") >= 1, "the leader won an election");
        for (int id : cluster.controllerIds()) {
            if (id != active[0]) {
                assertTrue(ScrapeAccess.samples(cluster.node(id).metricsPort(), "tributary_raft_replica_lag_offsets")
                        .isEmpty(), "controller " + id + " does not lead, so it reports no replica lag");
            }
        }
    }

    /**
     * Every {@code tributary_*} name the Grafana dashboard queries is served by some node of this
     * cluster, so the dashboard cannot drift from what the broker exports.
     */
    private void assertEveryDashboardMetricIsServed() throws IOException {
        Set<String> queried = ScrapeAccess.dashboardMetricNames(
                Files.readString(Path.of("..", "k8s", "grafana", "tributary-dashboard.json")));
        assertTrue(queried.size() > 20, "only " + queried.size() + " metric names in the dashboard");
        Set<String> missing = new TreeSet<>();
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            Set<String> served = new HashSet<>();
            for (int id : cluster.controllerIds()) {
                served.addAll(ScrapeAccess.names(cluster.node(id).metricsPort()));
            }
            for (int id : cluster.brokerIds()) {
                served.addAll(ScrapeAccess.names(cluster.node(id).metricsPort()));
            }
            missing.clear();
            queried.stream().filter(name -> !served.contains(name)).forEach(missing::add);
            if (missing.stream().anyMatch(name -> name.startsWith("tributary_jvm_gc_pause"))) {
                // The GC pause timer appears with the first collection; make sure one has happened.
                System.gc();
            }
            return missing.isEmpty();
        });
        assertTrue(missing.isEmpty(), "the dashboard queries metrics nobody serves: " + missing);
    }

    private boolean allLags(int port, long expected) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            OptionalDouble lag = ScrapeAccess.value(port, "tributary_consumer_group_lag", row(partition));
            if (lag.isEmpty() || lag.getAsDouble() != expected) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> row(int partition) {
        return Map.of("group", GROUP, "topic", TOPIC, "partition", Integer.toString(partition));
    }

    private double sumOverBrokers(String metric, Map<String, String> labels) {
        return cluster.brokerIds().stream().mapToDouble(id -> ScrapeAccess.value(cluster.node(id).metricsPort(),
                metric, labels).orElse(0)).sum();
    }

    private ManagedChannel channel(int brokerId) {
        return channels.computeIfAbsent(brokerId, id -> {
            int port = Integer.parseInt(cluster.bootstrap(id).split(":")[1]);
            return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        });
    }

    private void createTopic() {
        ErrorCode created = AdminServiceGrpc.newBlockingStub(channel(1)).withDeadlineAfter(30, TimeUnit.SECONDS)
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName(TOPIC)
                        .setNumPartitions(PARTITIONS).setReplicationFactor(3)).build())
                .getTopics(0).getErrorCode();
        assertEquals(ErrorCode.ERROR_CODE_NONE, created);
        cluster.awaitTopic(TOPIC);
    }

    private Map<Integer, Integer> leaders() {
        return cluster.node(1).metadataImage().topic(TOPIC).orElseThrow().partitions().values().stream()
                .collect(Collectors.toMap(p -> p.partition(), p -> p.leader()));
    }

    /**
     * The group's coordinator other than {@code not}, asked of broker {@code via}, once
     * __consumer_offsets exists and has leaders.
     */
    private int awaitCoordinator(int via, int not) {
        int[] coordinator = {-1};
        await().atMost(60, TimeUnit.SECONDS).until(() -> {
            Coordinator found = GroupServiceGrpc.newBlockingStub(channel(via)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .findCoordinator(FindCoordinatorRequest.newBuilder().addGroupIds(GROUP).build()).getCoordinators(0);
            coordinator[0] = found.getNode().getNodeId();
            return found.getErrorCode() == ErrorCode.ERROR_CODE_NONE && coordinator[0] != not;
        });
        return coordinator[0];
    }

    /** Produces the partition's records, retrying refusals (a new leader not ready yet): a refusal appends nothing. */
    private void produce(int leader, int partition) {
        RecordList.Builder records = RecordList.newBuilder();
        for (int i = 0; i < RECORDS; i++) {
            records.addRecords(Record.newBuilder().setValue(ByteString.copyFromUtf8("r" + partition + "-" + i)));
        }
        ProduceRequest request = ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).addPartitions(PartitionProduceData
                .newBuilder().setTopic(TOPIC).setPartition(partition).setRecords(records)).build();
        await().atMost(30, TimeUnit.SECONDS).until(() -> ProduceServiceGrpc.newBlockingStub(channel(leader))
                .withDeadlineAfter(30, TimeUnit.SECONDS).produce(request).getPartitions(0).getErrorCode()
                == ErrorCode.ERROR_CODE_NONE);
    }

    /** Commits {@code offset} on every partition, outside any membership, once the coordinator has loaded. */
    private void commit(int coordinator, long offset) {
        OffsetCommitTopic.Builder topic = OffsetCommitTopic.newBuilder().setTopic(TOPIC);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            topic.addPartitions(OffsetCommitPartition.newBuilder().setPartition(partition).setCommittedOffset(offset)
                    .setCommittedLeaderEpoch(-1));
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            OffsetCommitResponse response = GroupServiceGrpc.newBlockingStub(channel(coordinator))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).offsetCommit(OffsetCommitRequest.newBuilder()
                            .setGroupId(GROUP).setMemberEpoch(-1).addTopics(topic).build());
            return response.getErrorCode() == ErrorCode.ERROR_CODE_NONE && response.getPartitionsList().stream()
                    .allMatch(p -> p.getErrorCode() == ErrorCode.ERROR_CODE_NONE);
        });
    }

    /** Fetches the whole partition from its leader as a consumer; returns the records received. */
    private long fetchAll(int leader, int partition) {
        long offset = 0;
        long received = 0;
        while (offset < RECORDS) {
            FetchPartitionResponse answer = FetchServiceGrpc.newBlockingStub(channel(leader))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).fetch(FetchRequest.newBuilder().setMaxWaitMs(0)
                            .addPartitions(FetchPartition.newBuilder().setTopic(TOPIC).setPartition(partition)
                                    .setFetchOffset(offset)).build()).getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, answer.getErrorCode(), answer.getErrorMessage());
            List<Record> records = answer.getRecords().getRecordsList();
            received += records.size();
            offset = records.get(records.size() - 1).getOffset() + 1;
        }
        return received;
    }
}
