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
        ErrorCode created = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName("r")
                        .setNumPartitions(PARTITIONS).setReplicationFactor(3)).build()).getTopics(0).getErrorCode();
        assertEquals(ErrorCode.ERROR_CODE_NONE, created);
        cluster.awaitTopic("r");
        await().atMost(30, TimeUnit.SECONDS).until(() -> sumOverBrokers("tributary_partitions_led") == PARTITIONS
                && sumOverBrokers("tributary_partitions_under_replicated") == 0
                && sumOverBrokers("tributary_partitions") == 3 * PARTITIONS);

        // Broker 3 stops: every partition it does not lead loses it from its ISR.
        int stopped = 3;
        long ledElsewhere = partitions().filter(p -> p.leader() != stopped).count();
        cluster.stop(stopped);
        await().atMost(60, TimeUnit.SECONDS).until(() -> sumOverBrokers("tributary_partitions_under_replicated")
                == PARTITIONS);
        // Its leaderships moved to brokers 1 and 2, which now lead all partitions, all lacking broker 3.
        assertEquals(PARTITIONS, sumOverBrokers("tributary_partitions_led"));
        assertEquals(0, sumOverBrokers("tributary_partitions_under_min_isr"));
        assertEquals(0, ScrapeAccess.get(cluster.node(100).metricsPort(), "tributary_partitions_offline"));
        assertEquals(1, ScrapeAccess.get(cluster.node(100).metricsPort(), "tributary_controller_active"));
        assertEquals(ledElsewhere, sumOverBrokers("tributary_isr_shrinks_total"));

        cluster.start(stopped);
        await().atMost(60, TimeUnit.SECONDS).until(() -> sumOverBrokers("tributary_partitions_under_replicated") == 0
                && sumOverBrokers("tributary_isr_expands_total") == PARTITIONS);
        assertEquals(3 * PARTITIONS, sumOverBrokers("tributary_partitions"));
    }

    private java.util.stream.Stream<PartitionImage> partitions() {
        return cluster.node(1).metadataImage().topic("r").orElseThrow().partitions().values().stream();
    }

    private double sumOverBrokers(String metric) {
        return cluster.brokerIds().stream().filter(id -> cluster.node(id) != null)
                .mapToDouble(id -> ScrapeAccess.get(cluster.node(id).metricsPort(), metric)).sum();
    }
}
