package io.tributary.tools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.cluster.InProcessCluster;
import io.tributary.quorum.image.PartitionImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tributary leader-election} on three brokers, through preferred and unclean elections. */
@Tag("integration")
class LeaderElectionIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void preferredAndUncleanElectionsReportAsKafkasTool() {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 3, Map.of()).start()) {
            Cli.run("topics", "--bootstrap-server", cluster.bootstrap(1), "--create", "--topic", "u", "--partitions",
                    "1", "--replication-factor", "2").assertSuccess();
            cluster.awaitTopic("u");
            PartitionImage created = partition(cluster, 1);
            int preferred = created.replicas().get(0);
            int follower = created.replicas().get(1);
            int bystander = List.of(1, 2, 3).stream().filter(id -> !created.replicas().contains(id)).findFirst()
                    .orElseThrow();
            String bootstrap = cluster.bootstrap(bystander);

            Cli.Result notNeeded = Cli.run("leader-election", "--bootstrap-server", bootstrap, "--election-type",
                    "preferred", "--all-topic-partitions");
            assertEquals("Valid replica already elected for partitions u-0\n", notNeeded.assertSuccess().out());

            cluster.stop(follower);
            cluster.stop(preferred);
            cluster.start(follower);
            await().atMost(30, TimeUnit.SECONDS).until(() -> !cluster.node(bystander).metadataImage().broker(follower)
                    .orElseThrow().fenced());
            assertEquals(-1, partition(cluster, bystander).leader(), "the returning replica is out of sync: no leader");

            Cli.Result unavailable = Cli.run("leader-election", "--bootstrap-server", bootstrap, "--election-type",
                    "PREFERRED", "--topic", "u", "--partition", "0");
            assertEquals(1, unavailable.exitCode(), unavailable.toString());
            assertTrue(unavailable.out().startsWith("Error completing leader election (PREFERRED) for partition: u-0: "),
                    unavailable.out());
            assertTrue(unavailable.err().contains("1 replica(s) could not be elected"), unavailable.err());

            Cli.Result unclean = Cli.run("leader-election", "--bootstrap-server", bootstrap, "--election-type",
                    "unclean", "--topic", "u", "--partition", "0");
            assertEquals("Successfully completed leader election (UNCLEAN) for partitions u-0\n",
                    unclean.assertSuccess().out());
            await().atMost(10, TimeUnit.SECONDS).until(() -> partition(cluster, bystander).leader() == follower);
        }
    }

    private static PartitionImage partition(InProcessCluster cluster, int viaBroker) {
        return cluster.node(viaBroker).metadataImage().topic("u").orElseThrow().partitions().get(0);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Cli.Result badType = Cli.run("leader-election", "--election-type", "sideways", "--all-topic-partitions");
        Cli.Result both = Cli.run("leader-election", "--election-type", "preferred", "--all-topic-partitions",
                "--topic", "t", "--partition", "0");
        Cli.Result none = Cli.run("leader-election", "--election-type", "preferred");

        assertEquals(2, badType.exitCode(), badType.toString());
        assertTrue(badType.err().contains("preferred or unclean"), badType.err());
        assertEquals(2, both.exitCode(), both.toString());
        assertEquals(2, none.exitCode(), none.toString());
    }
}
