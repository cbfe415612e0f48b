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

/** {@code topics --describe} with Kafka's partition filters, on three brokers one of which stops. */
@Tag("integration")
class TopicsPartitionFiltersIntegrationTest {

    @TempDir
    Path dir;

    private static List<String> describe(String bootstrap, String... filters) {
        String[] args = new String[4 + filters.length];
        System.arraycopy(new String[] {"topics", "--bootstrap-server", bootstrap, "--describe"}, 0, args, 0, 4);
        System.arraycopy(filters, 0, args, 4, filters.length);
        return Cli.run(args).assertSuccess().out().lines().toList();
    }

    @Test
    void filtersSelectUnderReplicatedUnderMinIsrAtMinIsrAndUnavailablePartitions() {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 3, Map.of()).start()) {
            String bootstrap = cluster.bootstrap(1);
            Cli.run("topics", "--bootstrap-server", bootstrap, "--create", "--topic", "wide", "--partitions", "2",
                    "--replication-factor", "3", "--config", "min.insync.replicas=3").assertSuccess();
            Cli.run("topics", "--bootstrap-server", bootstrap, "--create", "--topic", "single", "--partitions", "3",
                    "--replication-factor", "1").assertSuccess();
            cluster.awaitTopic("wide");
            cluster.awaitTopic("single");
            assertEquals(List.of(), describe(bootstrap, "--under-replicated-partitions"), "all in sync at first");
            assertEquals(2, describe(bootstrap, "--topic", "wide", "--at-min-isr-partitions").size(),
                    "wide sits exactly at its min ISR of 3");
            assertEquals(5, describe(bootstrap, "--at-min-isr-partitions").size(), "and single at the default of 1");

            cluster.stop(3);
            await().atMost(30, TimeUnit.SECONDS).until(() -> describe(bootstrap, "--unavailable-partitions").size() == 1);

            List<String> underReplicated = describe(bootstrap, "--under-replicated-partitions");
            assertEquals(2, underReplicated.size(), underReplicated.toString());
            assertTrue(underReplicated.stream().allMatch(line -> line.startsWith("\tTopic: wide\t")
                    && !line.contains("Isr: 3") && !line.endsWith(",3")), underReplicated.toString());
            assertEquals(underReplicated, describe(bootstrap, "--under-min-isr-partitions"));
            List<String> unavailable = describe(bootstrap, "--unavailable-partitions");
            assertTrue(unavailable.get(0).startsWith("\tTopic: single\t") && unavailable.get(0).contains("Leader: none"),
                    unavailable.toString());
            assertEquals(3, describe(bootstrap, "--under-replicated-partitions", "--unavailable-partitions").size(),
                    "several filters select partitions matching any of them");
        }
    }

    @Test
    void filtersOnlyGoWithDescribe() {
        Cli.Result result = Cli.run("topics", "--list", "--under-replicated-partitions");

        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("only valid with --describe"), result.err());
    }
}
