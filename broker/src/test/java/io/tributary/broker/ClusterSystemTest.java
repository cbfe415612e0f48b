package io.tributary.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.proto.quorum.v1.DescribeQuorumResponse;
import io.tributary.proto.v1.CreateTopicResult;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.DescribeTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.NewTopic;
import io.tributary.proto.v1.PartitionMetadata;
import io.tributary.proto.v1.TopicDescription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three controller processes and three broker processes on loopback, with faults injected by
 * signals: kill -9 of the active controller, SIGSTOP of the active controller and of a broker, and a
 * restart of every node. {@code -Dtributary.failover.runs=N} repeats the controller failover N times
 * and logs the failover times (median, max).
 */
@Tag("system")
class ClusterSystemTest {

    private static final Logger log = LoggerFactory.getLogger(ClusterSystemTest.class);

    @TempDir
    Path dir;

    private static CreateTopicsRequest topic(String name, int partitions, int replicationFactor) {
        return CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName(name)
                .setNumPartitions(partitions).setReplicationFactor(replicationFactor)
                .putConfigs("retention.ms", "123456789")).build();
    }

    private static void assertCreated(CreateTopicResult result) {
        assertEquals(ErrorCode.ERROR_CODE_NONE, result.getErrorCode(), result.toString());
    }

    @Test
    void theClusterSurvivesControllerAndBrokerFaultsAndAFullRestart() throws Exception {
        try (ClusterProcesses cluster = new ClusterProcesses(dir, 3, 3, Map.of("broker.heartbeat.interval.ms", "300",
                "broker.session.timeout.ms", "3000"))) {
            cluster.startAll();
            assertCreated(cluster.admin(1).createTopics(topic("orders", 6, 3)).getTopics(0));

            List<Long> failoverMs = new ArrayList<>();
            for (int run = 0; run < Integer.getInteger("tributary.failover.runs", 1); run++) {
                failoverMs.add(killTheActiveControllerAndCreateATopic(cluster, "after-failover-" + run));
            }
            failoverMs.sort(null);
            log.info("Controller failover (kill -9 to the next committed topic creation) over {} runs: median {} ms, "
                    + "max {} ms, all {}", failoverMs.size(), failoverMs.get(failoverMs.size() / 2),
                    failoverMs.get(failoverMs.size() - 1), failoverMs);

            aPausedLeaderResignsAndFollowsAfterwardsWithoutAnotherEpoch(cluster);
            aSilentBrokerIsFencedAndItsPartitionsGetNewLeaders(cluster);
            everythingSurvivesARestartOfEveryNode(cluster);
        }
    }

    /** Returns the milliseconds from kill -9 to the next successful topic creation. */
    private long killTheActiveControllerAndCreateATopic(ClusterProcesses cluster, String name) throws Exception {
        DescribeQuorumResponse before = cluster.awaitAgreedLeader(cluster.controllerIds());
        int active = before.getLeaderId();
        long startNs = System.nanoTime();
        cluster.node(active).kill();
        cluster.forget(active);
        CreateTopicResult created = cluster.admin(1).createTopics(topic(name, 3, 3)).getTopics(0);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertCreated(created);
        List<Integer> survivors = cluster.controllerIds().stream().filter(id -> id != active).toList();
        DescribeQuorumResponse after = cluster.awaitAgreedLeader(survivors);
        assertNotEquals(active, after.getLeaderId());
        assertTrue(after.getLeaderEpoch() > before.getLeaderEpoch());
        cluster.start(active);
        cluster.awaitAgreedLeader(cluster.controllerIds());
        return elapsedMs;
    }

    private void aPausedLeaderResignsAndFollowsAfterwardsWithoutAnotherEpoch(ClusterProcesses cluster)
            throws Exception {
        int paused = cluster.awaitAgreedLeader(cluster.controllerIds()).getLeaderId();
        cluster.node(paused).pause();
        List<Integer> others = cluster.controllerIds().stream().filter(id -> id != paused).toList();
        DescribeQuorumResponse successor = cluster.awaitAgreedLeader(others);
        assertCreated(cluster.admin(2).createTopics(topic("while-paused", 1, 3)).getTopics(0));
        cluster.node(paused).resume();
        DescribeQuorumResponse rejoined = cluster.awaitAgreedLeader(cluster.controllerIds());
        assertEquals(successor.getLeaderId(), rejoined.getLeaderId(), "the resumed node follows");
        assertEquals(successor.getLeaderEpoch(), rejoined.getLeaderEpoch(),
                "the resumed node did not force another election");
    }

    private void aSilentBrokerIsFencedAndItsPartitionsGetNewLeaders(ClusterProcesses cluster) throws Exception {
        cluster.node(3).pause();
        await().atMost(60, TimeUnit.SECONDS).until(() -> partitions(cluster, "orders").stream()
                .noneMatch(p -> p.getLeaderId() == 3 || p.getIsrList().contains(3)));
        partitions(cluster, "orders").forEach(p -> assertTrue(p.getLeaderId() == 1 || p.getLeaderId() == 2,
                p.toString()));
        assertTrue(cluster.cluster(1).metadata(MetadataRequest.getDefaultInstance()).getBrokersList().stream()
                .noneMatch(b -> b.getNodeId() == 3), "a fenced broker is not offered to clients");
        cluster.node(3).resume();
        await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.cluster(1).metadata(MetadataRequest
                .getDefaultInstance()).getBrokersList().stream().anyMatch(b -> b.getNodeId() == 3));
    }

    private static List<PartitionMetadata> partitions(ClusterProcesses cluster, String topic) {
        return cluster.cluster(1).metadata(MetadataRequest.newBuilder().addTopics(topic).build()).getTopics(0)
                .getPartitionsList();
    }

    private void everythingSurvivesARestartOfEveryNode(ClusterProcesses cluster) throws Exception {
        List<String> before = names(cluster);
        for (int id : List.of(1, 2, 3, 100, 101, 102)) {
            assertEquals(143, cluster.node(id).terminate(), "node " + id + " ends with 128 + 15 after its shutdown hook");
            cluster.forget(id);
        }
        cluster.startAll();
        assertEquals(before, names(cluster));
        TopicDescription orders = cluster.admin(2).describeTopics(DescribeTopicsRequest.newBuilder()
                .addNames("orders").build()).getTopics(0);
        assertEquals(6, orders.getPartitionsCount());
        assertEquals("123456789", orders.getConfigsMap().get("retention.ms"));
        assertCreated(cluster.admin(3).createTopics(topic("after-restart", 2, 3)).getTopics(0));
    }

    private static List<String> names(ClusterProcesses cluster) {
        return cluster.admin(1).describeTopics(DescribeTopicsRequest.getDefaultInstance()).getTopicsList().stream()
                .map(t -> t.getName() + ":" + t.getPartitionsCount()).sorted().toList();
    }
}
