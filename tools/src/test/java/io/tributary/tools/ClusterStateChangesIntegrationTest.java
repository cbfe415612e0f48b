package io.tributary.tools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.cluster.InProcessCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster describe and metadata-quorum describe while nodes stop: fenced brokers, a missing controller. */
@Tag("integration")
class ClusterStateChangesIntegrationTest {

    @TempDir
    Path dir;

    private static List<String> brokerRows(String bootstrap, String... options) {
        String[] args = new String[4 + options.length];
        System.arraycopy(new String[] {"cluster", "describe", "--bootstrap-server", bootstrap}, 0, args, 0, 4);
        System.arraycopy(options, 0, args, 4, options.length);
        return Cli.run(args).assertSuccess().out().lines().skip(4).toList();
    }

    @Test
    void aStoppedBrokerShowsAsFencedOnlyWithIncludeFencedBrokersAndItsReplicasAsOffline() {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 2, Map.of()).start()) {
            String bootstrap = cluster.bootstrap(1);
            String two = cluster.bootstrap(2).split(":")[1];
            await().atMost(30, TimeUnit.SECONDS).until(() -> brokerRows(bootstrap).size() == 2);
            Cli.runAgainst(bootstrap, "topics", "--create", "--topic", "both", "--partitions", "1",
                    "--replication-factor", "2").assertSuccess();
            cluster.awaitTopic("both");

            cluster.stop(2);
            await().atMost(30, TimeUnit.SECONDS).until(() -> brokerRows(bootstrap).size() == 1);

            assertTrue(brokerRows(bootstrap).get(0).matches("1 +127\\.0\\.0\\.1 +\\d+ +- +active"),
                    brokerRows(bootstrap).toString());
            List<String> all = brokerRows(bootstrap, "--include-fenced-brokers");
            assertEquals(2, all.size(), all.toString());
            assertTrue(all.get(1).matches("2 +127\\.0\\.0\\.1 +" + two + " +- +fenced"), all.toString());
            String topic = Cli.runAgainst(bootstrap, "topics", "--describe", "--topic", "both", "--output", "json")
                    .assertSuccess().out();
            assertTrue(topic.matches(".*\"partitions\":\\[\\{\"partition\":0,\"leader\":1,\"replicas\":\\[[12],[12]\\],"
                    + "\"isr\":\\[1\\],\"offline\":\\[2\\]}]}]\\n"), topic);
        }
    }

    @Test
    void quorumDescribeFailsSayingWhatIsMissingWhenTheControllerIsDown() {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 1, Map.of()).start()) {
            cluster.stop(100);

            Cli.Result result = Cli.run("metadata-quorum", "describe", "--status", "--bootstrap-server",
                    cluster.bootstrap(1), "--command-timeout-ms", "1500");

            assertEquals(1, result.exitCode(), result.toString());
            assertTrue(result.err().startsWith("Error: no answer from " + cluster.bootstrap(1) + " within 1500 ms"),
                    result.err());
            // The broker either still knows controller 100 as leader or has heard it resign.
            assertTrue(result.err().contains("controller 100 at 127.0.0.1:" + cluster.controllerPort(100)
                    + " did not describe the metadata quorum") || result.err().contains("node 1 knows no metadata "
                    + "quorum leader (no active controller"), result.err());
            assertEquals(1, result.err().lines().count(), result.err());
        }
    }
}
