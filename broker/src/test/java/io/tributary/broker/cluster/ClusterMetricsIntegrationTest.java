package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.metrics.ScrapeAccess;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.quorum.image.PartitionImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition-state metrics of a leader on one controller and three brokers, scraped over HTTP while
 * a follower stops and comes back.
 */
@Tag("integration")
class ClusterMetricsIntegrationTest {

    private static final int PARTITIONS = 3;
    private static final int SOLO_PARTITIONS = 3;

    @TempDir
    Path dir;
    private InProcessCluster cluster;
    private ManagedChannel channel;

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void underReplicatedPartitionsFollowAStoppedAndRestartedFollower() {
        cluster = new InProcessCluster(dir, 1, 3, Map.of("replica.lag.time.max.ms", "2000",
                "replica.fetch.wait.max.ms", "200", "replica.fetch.backoff.ms", "100",
                "auto.leader.rebalance.enable", "false")).start();
        int port = Integer.parseInt(cluster.bootstrap(1).split(":")[1]);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        // Three partitions, each on all three brokers: every broker leads or follows each.
        createTopic("r", PARTITIONS, 3);
        // And unreplicated ones: those on the stopped broker will have no leader.
        createTopic("solo", SOLO_PARTITIONS, 1);
        await().atMost(30, TimeUnit.SECONDS).until(() -> sumOverBrokers("tributary_partitions_led")
                == PARTITIONS + SOLO_PARTITIONS
                && sumOverBrokers("tributary_partitions_under_replicated") == 0
                && sumOverBrokers("tributary_partitions") == 3 * PARTITIONS + SOLO_PARTITIONS);
        assertEquals(0, controllerMetric("tributary_partitions_offline"));

        // A broker hosting a solo partition stops: every partition of r it does not lead loses it from
        // its ISR (a shrink at that leader); the ones it led move to a follower, without it in the ISR.
        int stopped = partitions("solo").findFirst().orElseThrow().replicas().get(0);
        long ledElsewhere = partitions("r").filter(p -> p.leader() != stopped).count();
        long soloOnStopped = partitions("solo").filter(p -> p.replicas().contains(stopped)).count();
        cluster.stop(stopped);
        await().atMost(60, TimeUnit.SECONDS).until(() -> sumOverBrokers("tributary_partitions_under_replicated")
                == PARTITIONS && controllerMetric("tributary_partitions_offline") == soloOnStopped);
        assertEquals(PARTITIONS + SOLO_PARTITIONS - soloOnStopped, sumOverBrokers("tributary_partitions_led"));
        assertEquals(0, sumOverBrokers("tributary_partitions_under_min_isr"));
        assertEquals(1, controllerMetric("tributary_controller_active"));
        assertEquals(ledElsewhere, sumOverBrokers("tributary_isr_shrinks_total"));

        cluster.start(stopped);
        await().atMost(60, TimeUnit.SECONDS).until(() -> sumOverBrokers("tributary_partitions_under_replicated") == 0
                && sumOverBrokers("tributary_isr_expands_total") == PARTITIONS
                && controllerMetric("tributary_partitions_offline") == 0);
        assertEquals(3 * PARTITIONS + SOLO_PARTITIONS, sumOverBrokers("tributary_partitions"));
    }

    private void createTopic(String name, int partitions, int replicationFactor) {
        ErrorCode created = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName(name)
                        .setNumPartitions(partitions).setReplicationFactor(replicationFactor)).build())
                .getTopics(0).getErrorCode();
        assertEquals(ErrorCode.ERROR_CODE_NONE, created);
        cluster.awaitTopic(name);
    }

    private Stream<PartitionImage> partitions(String topic) {
        return cluster.node(100).metadataImage().topic(topic).orElseThrow().partitions().values().stream();
    }

    private double controllerMetric(String metric) {
        return ScrapeAccess.get(cluster.node(100).metricsPort(), metric);
    }

    private double sumOverBrokers(String metric) {
        return cluster.brokerIds().stream().filter(id -> cluster.node(id) != null)
                .mapToDouble(id -> ScrapeAccess.get(cluster.node(id).metricsPort(), metric)).sum();
    }
}
