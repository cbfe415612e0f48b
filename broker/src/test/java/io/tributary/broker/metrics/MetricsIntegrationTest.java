package io.tributary.broker.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.tributary.broker.TestNode;
import io.tributary.common.FreePorts;
import io.tributary.proto.v1.Acks;
import io.tributary.proto.v1.DeleteTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.FetchPartition;
import io.tributary.proto.v1.FetchPartitionResponse;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FindCoordinatorRequest;
import io.tributary.proto.v1.OffsetCommitPartition;
import io.tributary.proto.v1.OffsetCommitRequest;
import io.tributary.proto.v1.OffsetCommitResponse;
import io.tributary.proto.v1.OffsetCommitTopic;
import io.tributary.proto.v1.PartitionProduceData;
import io.tributary.proto.v1.PartitionProduceResponse;
import io.tributary.proto.v1.ProduceRequest;
import io.tributary.proto.v1.ProduceServiceGrpc;
import io.tributary.proto.v1.Record;
import io.tributary.proto.v1.RecordFormat;
import io.tributary.proto.v1.RecordList;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real single node's /metrics, scraped over HTTP after known events. */
@Tag("integration")
class MetricsIntegrationTest {

    private static final String PRODUCE_SERVICE = ProduceServiceGrpc.SERVICE_NAME;

    @TempDir
    Path dataDir;

    @Test
    void servesJvmAndControllerMetricsInPrometheusText() {
        try (TestNode node = new TestNode(dataDir)) {
            Scrape scrape = Scrape.of(node.server().metricsPort());
            assertEquals(200, scrape.status());
            assertTrue(scrape.contentType().startsWith("text/plain"), scrape.contentType());
            assertTrue(scrape.samples().stream().allMatch(s -> s.name().startsWith("tributary_")),
                    "every metric is prefixed tributary_");
            // One pool (a survivor space just after a collection) may be empty; the heap as a whole is not.
            assertTrue(scrape.sum("tributary_jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
            assertTrue(scrape.sum("tributary_jvm_memory_used_bytes", Map.of("area", "nonheap")) > 0);
            assertTrue(scrape.get("tributary_jvm_threads_live_threads") > 0);
            assertTrue(scrape.get("tributary_jvm_classes_loaded_classes") > 0);
            assertTrue(scrape.has("tributary_jvm_gc_memory_allocated_bytes_total"));
            assertTrue(scrape.has("tributary_jvm_gc_max_data_size_bytes"));
            assertEquals(Runtime.getRuntime().availableProcessors(), scrape.get("tributary_system_cpu_count"));
            assertTrue(scrape.get("tributary_process_uptime_seconds") > 0);
            // A combined single node is its own quorum and active controller.
            assertEquals(1, scrape.get("tributary_controller_active"));
            assertEquals(1, scrape.get("tributary_raft_leader"));
            assertTrue(scrape.get("tributary_raft_epoch") >= 1);
            assertTrue(scrape.get("tributary_metadata_applied_offset") >= 0);
            assertEquals(0, scrape.get("tributary_partitions_offline"));
        }
    }

    @Test
    void countsProducedAndFetchedTrafficRpcsAndPartitionState() {
        try (TestNode node = new TestNode(dataDir)) {
            int port = node.server().metricsPort();
            node.createTopic("orders", 2, Map.of());
            node.createTopic("quiet", 1, Map.of());
            // Two requests of 10 and 5 records to partition 0, one of 7 to partition 1.
            produce(node, "orders", 0, 10);
            produce(node, "orders", 0, 5);
            produce(node, "orders", 1, 7);
            FetchPartitionResponse fetched = node.fetch().fetch(FetchRequest.newBuilder()
                    .setRecordFormat(RecordFormat.RECORD_FORMAT_BATCHES).setMaxWaitMs(0)
                    .addPartitions(FetchPartition.newBuilder().setTopic("orders").setPartition(0).setFetchOffset(0))
                    .build()).getPartitions(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, fetched.getErrorCode());
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> node.produce().produce(ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).build()));

            Scrape scrape = Scrape.of(port);
            Map<String, String> orders = Map.of("topic", "orders");
            assertEquals(22, scrape.get("tributary_records_in_total", orders));
            // Every appended batch byte is in the log, and nothing else is.
            double logBytes = scrape.get("tributary_log_size_bytes", Map.of("topic", "orders", "partition", "0"))
                    + scrape.get("tributary_log_size_bytes", Map.of("topic", "orders", "partition", "1"));
            assertTrue(logBytes > 22 * 10, "log size " + logBytes);
            assertEquals(logBytes, scrape.get("tributary_bytes_in_total", orders));
            assertEquals(fetched.getRecordBatches().size(), scrape.get("tributary_bytes_out_total", orders));
            assertEquals(15, scrape.get("tributary_records_out_total", orders));
            assertEquals(0, scrape.get("tributary_log_size_bytes", Map.of("topic", "quiet", "partition", "0")));
            assertEquals(1, scrape.get("tributary_log_segments", Map.of("topic", "orders", "partition", "1")));
            assertTrue(scrape.value("tributary_records_in_total", Map.of("topic", "quiet")).isEmpty());

            Map<String, String> produceOk = Map.of("service", PRODUCE_SERVICE, "method", "Produce", "code", "OK");
            assertEquals(3, scrape.get("tributary_rpc_requests_total", produceOk));
            assertEquals(3, scrape.get("tributary_rpc_latency_seconds_count", produceOk));
            assertEquals(3, scrape.get("tributary_rpc_latency_seconds_bucket", withLe(produceOk, "+Inf")));
            assertTrue(scrape.get("tributary_rpc_latency_seconds_sum", produceOk) > 0);
            Map<String, String> produceRefused = Map.of("service", PRODUCE_SERVICE, "method", "Produce",
                    "code", refused.getStatus().getCode().name());
            assertEquals(1, scrape.get("tributary_rpc_requests_total", produceRefused));
            assertEquals(1, scrape.get("tributary_rpc_errors_total", produceRefused));
            assertTrue(scrape.value("tributary_rpc_errors_total", produceOk).isEmpty());
            assertEquals(1, scrape.get("tributary_rpc_requests_total",
                    Map.of("method", "Fetch", "code", "OK")));

            // A healthy single node leads all three partitions, each fully in sync.
            assertEquals(3, scrape.get("tributary_partitions"));
            assertEquals(3, scrape.get("tributary_partitions_led"));
            assertEquals(0, scrape.get("tributary_partitions_under_replicated"));
            assertEquals(0, scrape.get("tributary_partitions_under_min_isr"));
            assertEquals(0, scrape.get("tributary_isr_shrinks_total"));
            assertEquals(0, scrape.get("tributary_isr_expands_total"));
            assertEquals(0, scrape.get("tributary_partitions_offline"));
        }
    }

    @Test
    void aFetchStartingInsideABatchCountsOnlyTheRecordsFromItsOffset() {
        try (TestNode node = new TestNode(dataDir)) {
            node.createTopic("t", 1, Map.of());
            produce(node, "t", 0, 10);
            produce(node, "t", 0, 5);
            for (RecordFormat format : new RecordFormat[] {RecordFormat.RECORD_FORMAT_BATCHES,
                RecordFormat.RECORD_FORMAT_RECORDS}) {
                FetchPartitionResponse fetched = node.fetch().fetch(FetchRequest.newBuilder().setRecordFormat(format)
                        .setMaxWaitMs(0).addPartitions(FetchPartition.newBuilder().setTopic("t").setPartition(0)
                                .setFetchOffset(6)).build()).getPartitions(0);
                assertEquals(ErrorCode.ERROR_CODE_NONE, fetched.getErrorCode());
            }
            // Offsets 6..14 each time: 4 of the first batch's 10 and all 5 of the second.
            assertEquals(18, Scrape.of(node.server().metricsPort()).get("tributary_records_out_total",
                    Map.of("topic", "t")));
        }
    }

    @Test
    void aSingleNodeReportsItsGroupsLagAndItsOwnRaftProgress() throws IOException {
        try (TestNode node = new TestNode(dataDir, Map.of("metrics.group.lag.refresh.ms", "100",
                "offsets.topic.num.partitions", "2"))) {
            int port = node.server().metricsPort();
            node.createTopic("orders", 1, Map.of());
            produce(node, "orders", 0, 15);
            node.fetch().fetch(FetchRequest.newBuilder().setMaxWaitMs(0).addPartitions(FetchPartition.newBuilder()
                    .setTopic("orders").setPartition(0).setFetchOffset(0)).build());
            commitAsNonMember(node, "g", 4);
            Map<String, String> row = Map.of("group", "g", "topic", "orders", "partition", "0");
            await().atMost(30, TimeUnit.SECONDS).until(() -> Scrape.of(port).value("tributary_consumer_group_lag", row)
                    .orElse(-1) == 11);
            Scrape scrape = Scrape.of(port);
            assertEquals(4, scrape.get("tributary_consumer_group_committed_offset", row));
            assertEquals(0, scrape.get("tributary_consumer_group_members", Map.of("group", "g")));

            commitAsNonMember(node, "g", 15);
            await().atMost(30, TimeUnit.SECONDS).until(() -> Scrape.of(port).value("tributary_consumer_group_lag", row)
                    .orElse(-1) == 0);

            // A refused request, so the RPC error counter has a row for the README check below.
            assertThrows(StatusRuntimeException.class,
                    () -> node.produce().produce(ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).build()));
            scrape = Scrape.of(port);
            assertTrue(scrape.get("tributary_raft_elections_total") >= 1, "a single voter elects itself");
            assertTrue(scrape.get("tributary_raft_high_watermark") > 0);
            assertTrue(scrape.get("tributary_raft_log_end_offset") >= scrape.get("tributary_raft_high_watermark"));
            assertTrue(scrape.value("tributary_raft_replica_lag_offsets", Map.of("node_id", "1", "role", "voter"))
                    .isPresent(), "the leader reports itself as a voter");
            assertTrue(scrape.value("tributary_raft_replica_lag_offsets", Map.of("role", "observer")).isEmpty());
            assertEveryReadmeMetricIsServed(scrape);
        }
    }

    /** Commits {@code offset} for orders-0 outside any membership, once the coordinator is ready. */
    private static void commitAsNonMember(TestNode node, String group, long offset) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            // The first FindCoordinator creates __consumer_offsets.
            if (node.groups().findCoordinator(FindCoordinatorRequest.newBuilder().addGroupIds(group).build())
                    .getCoordinators(0).getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                return false;
            }
            OffsetCommitResponse response = node.groups().offsetCommit(OffsetCommitRequest.newBuilder()
                    .setGroupId(group).setMemberEpoch(-1).addTopics(OffsetCommitTopic.newBuilder().setTopic("orders")
                            .addPartitions(OffsetCommitPartition.newBuilder().setPartition(0).setCommittedOffset(offset)
                                    .setCommittedLeaderEpoch(-1))).build());
            return response.getErrorCode() == ErrorCode.ERROR_CODE_NONE
                    && response.getPartitions(0).getErrorCode() == ErrorCode.ERROR_CODE_NONE;
        });
    }

    /**
     * Keeps the README's Metrics section true: every name it lists is served (a histogram as its
     * _bucket/_count/_sum series; {@code name_*} as some series starting with name_).
     */
    private static void assertEveryReadmeMetricIsServed(Scrape scrape) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("\n### Metrics\n");
        assertTrue(start >= 0, "README.md has a Metrics section");
        String section = readme.substring(start, readme.indexOf("\n### ", start + 1));
        Matcher names = Pattern.compile("`(tributary_[a-z0-9_]+)(\\*)?`").matcher(section);
        int listed = 0;
        while (names.find()) {
            String name = names.group(1);
            boolean served = names.group(2) != null
                    ? scrape.samples().stream().anyMatch(sample -> sample.name().startsWith(name))
                    : scrape.has(name) || scrape.has(name + "_count");
            assertTrue(served, "README.md lists " + names.group() + " but the node does not serve it");
            listed++;
        }
        assertTrue(listed > 20, "only " + listed + " metric names found in README.md");
    }

    private static Map<String, String> withLe(Map<String, String> labels, String le) {
        Map<String, String> copy = new java.util.HashMap<>(labels);
        copy.put("le", le);
        return copy;
    }

    private static void produce(TestNode node, String topic, int partition, int records) {
        RecordList.Builder list = RecordList.newBuilder();
        for (int i = 0; i < records; i++) {
            list.addRecords(Record.newBuilder().setValue(ByteString.copyFromUtf8(topic + "-" + partition + "-" + i)));
        }
        PartitionProduceResponse result = node.produce().withDeadlineAfter(30, TimeUnit.SECONDS)
                .produce(ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).addPartitions(PartitionProduceData
                        .newBuilder().setTopic(topic).setPartition(partition).setRecords(list)).build()).getPartitions(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.getErrorMessage());
    }

    @Test
    void aDeletedTopicsMetricsGo() {
        try (TestNode node = new TestNode(dataDir)) {
            int port = node.server().metricsPort();
            node.createTopic("gone", 1, Map.of());
            node.createTopic("kept", 1, Map.of());
            produce(node, "gone", 0, 4);
            produce(node, "kept", 0, 2);
            Map<String, String> gone = Map.of("topic", "gone");
            assertEquals(4, Scrape.of(port).get("tributary_records_in_total", gone));
            assertEquals(ErrorCode.ERROR_CODE_NONE, node.admin().deleteTopics(DeleteTopicsRequest.newBuilder()
                    .addNames("gone").build()).getTopics(0).getErrorCode());
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                Scrape scrape = Scrape.of(port);
                return scrape.value("tributary_records_in_total", gone).isEmpty()
                        && scrape.value("tributary_bytes_in_total", gone).isEmpty()
                        && scrape.value("tributary_log_size_bytes", gone).isEmpty()
                        && scrape.get("tributary_partitions") == 1;
            });
            Scrape scrape = Scrape.of(port);
            assertEquals(2, scrape.get("tributary_records_in_total", Map.of("topic", "kept")));
            assertEquals(1, scrape.get("tributary_log_segments", Map.of("topic", "kept", "partition", "0")));
            assertEquals(1, scrape.get("tributary_partitions_led"));
        }
    }

    @Test
    void servesOnTheConfiguredPortAndStopsWithTheNode() throws IOException {
        int port = FreePorts.freePort();
        TestNode node = new TestNode(dataDir, Map.of("metrics.port", String.valueOf(port), "metrics.host", "127.0.0.1"));
        try (node) {
            assertEquals(port, node.server().metricsPort());
            assertEquals(200, Scrape.of(port).status());
        }
        assertPortFree(port);
    }

    @Test
    void disabledMetricsBindNoPort() throws IOException {
        int port = FreePorts.freePort();
        try (TestNode node = new TestNode(dataDir, Map.of("metrics.enabled", "false", "metrics.port",
                String.valueOf(port)))) {
            assertEquals(-1, node.server().metricsPort());
            assertPortFree(port);
            // The node itself serves as usual.
            node.createTopic("t", 1, Map.of());
            produce(node, "t", 0, 1);
        }
    }

    /** Nothing listens on {@code port}: binding it succeeds. */
    private static void assertPortFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertEquals(port, socket.getLocalPort());
        }
    }
}
