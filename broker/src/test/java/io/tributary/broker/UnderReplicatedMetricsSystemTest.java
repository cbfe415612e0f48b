package io.tributary.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.broker.metrics.ScrapeAccess;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.CreateTopicsResponse;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.MetadataRequest;
import io.tributary.proto.v1.NewTopic;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations issue's acceptance, with real processes: kill -9 of a follower raises the
 * cluster's under-replicated partition count (scraped from every live broker's {@code /metrics})
 * to exactly the number of partitions it replicates, and its restart brings the count back to 0.
 */
@Tag("system")
class UnderReplicatedMetricsSystemTest {

    private static final String UNDER_REPLICATED = "tributary_partitions_under_replicated";
    private static final int CONTROLLER = ClusterProcesses.FIRST_CONTROLLER_ID;

    @TempDir
    Path dir;

    @Test
    void aKilledFollowerRaisesUnderReplicatedPartitionsToItsShareThenBackToZero() throws Exception {
        try (ClusterProcesses cluster = new ClusterProcesses(dir, 1, 3, Map.of("broker.heartbeat.interval.ms", "300",
                "broker.session.timeout.ms", "3000", "replica.lag.time.max.ms", "1500",
                "replica.fetch.wait.max.ms", "200", "replica.socket.timeout.ms", "2000",
                "auto.leader.rebalance.enable", "false"))) {
            cluster.startAll();
            // Every broker has a replica of each partition of "all"; broker 3 has some of "pair".
            CreateTopicsResponse created = cluster.admin(1).createTopics(CreateTopicsRequest.newBuilder()
                    .addTopics(NewTopic.newBuilder().setName("all").setNumPartitions(4).setReplicationFactor(3))
                    .addTopics(NewTopic.newBuilder().setName("pair").setNumPartitions(3).setReplicationFactor(2))
                    .build());
            created.getTopicsList().forEach(t -> assertEquals(ErrorCode.ERROR_CODE_NONE, t.getErrorCode(), t.toString()));
            awaitUnderReplicated(cluster, List.of(1, 2, 3), 0);
            awaitLeaders(cluster, 7, List.of(1, 2, 3));
            long onBroker3 = cluster.cluster(1).metadata(MetadataRequest.getDefaultInstance()).getTopicsList().stream()
                    .flatMap(t -> t.getPartitionsList().stream()).filter(p -> p.getReplicasList().contains(3)).count();

            cluster.node(3).kill();
            cluster.forget(3);

            // Each partition with a replica on broker 3 loses it from the ISR (those it led get a
            // new leader first); the others stay fully replicated.
            awaitUnderReplicated(cluster, List.of(1, 2), onBroker3);
            assertEquals(0.0, ScrapeAccess.get(cluster.metricsPort(CONTROLLER), "tributary_partitions_offline"));

            cluster.start(3);
            awaitUnderReplicated(cluster, List.of(1, 2, 3), 0);
            assertEquals(7.0, List.of(1, 2, 3).stream()
                    .mapToDouble(id -> ScrapeAccess.get(cluster.metricsPort(id), "tributary_partitions_led")).sum());
        }
    }

    private static void awaitUnderReplicated(ClusterProcesses cluster, List<Integer> brokers, long expected) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS).untilAsserted(() ->
                assertEquals((double) expected, brokers.stream()
                        .mapToDouble(id -> ScrapeAccess.get(cluster.metricsPort(id), UNDER_REPLICATED)).sum()));
    }

    private static void awaitLeaders(ClusterProcesses cluster, int partitions, List<Integer> brokers) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS).untilAsserted(() ->
                assertEquals(partitions, brokers.stream()
                        .mapToDouble(id -> ScrapeAccess.get(cluster.metricsPort(id), "tributary_partitions_led")).sum()));
    }
}
