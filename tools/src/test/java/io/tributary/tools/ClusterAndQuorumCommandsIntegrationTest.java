package io.tributary.tools;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.cluster.InProcessCluster;
import io.tributary.client.admin.Admin;
import io.tributary.client.admin.TopicDescription;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster cluster-id}, {@code cluster describe}, {@code metadata-quorum describe} and
 * {@code topics --describe --output json} against one dedicated controller (100) and two brokers.
 */
@Tag("integration")
class ClusterAndQuorumCommandsIntegrationTest {

    @TempDir
    static Path dir;
    private static InProcessCluster cluster;
    private static String bootstrap;

    @BeforeAll
    static void start() {
        cluster = new InProcessCluster(dir, 1, 2, Map.of("broker.rack", "r1")).start();
        bootstrap = cluster.bootstrap(1);
        // A broker's start-up ends once it is unfenced; the answering broker's image may learn it a moment later.
        await().atMost(30, TimeUnit.SECONDS).until(() -> describe().out().lines().filter(l -> l.endsWith(" active"))
                .count() == 2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static Cli.Result describe(String... options) {
        return run("cluster", "describe", options);
    }

    private static Cli.Result run(String command, String subcommand, String... options) {
        String[] args = new String[options.length + 4];
        System.arraycopy(new String[] {command, subcommand, "--bootstrap-server", bootstrap}, 0, args, 0, 4);
        System.arraycopy(options, 0, args, 4, options.length);
        return Cli.run(args);
    }

    private static int port(int brokerId) {
        return Integer.parseInt(cluster.bootstrap(brokerId).split(":")[1]);
    }

    @Test
    void clusterIdPrintsKafkasLine() {
        assertEquals("Cluster ID: " + cluster.clusterId() + "\n",
                run("cluster", "cluster-id").assertSuccess().out());
    }

    @Test
    void clusterDescribePrintsTheIdTheControllersAndABrokerTable() {
        // Ephemeral ports have five digits, so the PORT column is five wide.
        String expected = "Cluster ID: " + cluster.clusterId() + "\n"
                + "Controller: 100\n"
                + "Controllers: 100@127.0.0.1:" + cluster.controllerPort(100) + "\n"
                + "ID HOST      PORT  RACK STATE\n"
                + "1  127.0.0.1 " + port(1) + " r1   active\n"
                + "2  127.0.0.1 " + port(2) + " r1   active\n";
        assertEquals(expected, describe().assertSuccess().out());
    }

    @Test
    void clusterDescribeAsJson() {
        String brokers = List.of(1, 2).stream().map(id -> "{\"id\":" + id + ",\"host\":\"127.0.0.1\",\"port\":" + port(id)
                        + ",\"rack\":\"r1\",\"state\":\"active\",\"fenced\":false,\"inControlledShutdown\":false,"
                        + "\"brokerEpoch\":" + cluster.node(1).metadataImage().broker(id).orElseThrow().epoch() + "}")
                .collect(Collectors.joining(","));
        assertEquals("{\"clusterId\":\"" + cluster.clusterId() + "\",\"controllerId\":100,\"controllers\":[{\"id\":100,"
                        + "\"host\":\"127.0.0.1\",\"port\":" + cluster.controllerPort(100) + "}],\"brokers\":[" + brokers
                        + "]}\n",
                describe("--output", "json", "--include-fenced-brokers").assertSuccess().out());
    }

    @Test
    void quorumStatusShowsTheLeaderVotersAndBrokersAsObserversCaughtUp() {
        List<String> lines = await().atMost(30, TimeUnit.SECONDS).until(
                () -> run("metadata-quorum", "describe", "--status").assertSuccess().out().lines().toList(),
                l -> l.contains("MaxFollowerLag:         0"));

        assertEquals(8, lines.size(), lines.toString());
        assertEquals("ClusterId:              " + cluster.clusterId(), lines.get(0));
        assertEquals("LeaderId:               100", lines.get(1));
        assertTrue(lines.get(2).matches("LeaderEpoch: {12}[1-9]\\d*"), lines.get(2));
        assertTrue(lines.get(3).matches("HighWatermark: {10}[1-9]\\d*"), lines.get(3));
        assertEquals("MaxFollowerLagTimeMs:   0", lines.get(5), "the only voter is the leader");
        assertEquals("CurrentVoters:          [100]", lines.get(6));
        assertEquals("CurrentObservers:       [1,2]", lines.get(7));
    }

    @Test
    void quorumStatusAsJson() {
        String json = run("metadata-quorum", "describe", "--status", "--output", "json").assertSuccess().out();

        assertTrue(json.matches("\\{\"clusterId\":\"" + cluster.clusterId() + "\",\"leaderId\":100,\"leaderEpoch\":\\d+,"
                + "\"highWatermark\":\\d+,\"maxFollowerLag\":\\d+,\"maxFollowerLagTimeMs\":0,\"currentVoters\":\\[100\\],"
                + "\"currentObservers\":\\[1,2\\]}\\n"), json);
    }

    @Test
    void quorumReplicationListsTheLeaderThenTheObserversWithTheirLagConvergingToZero() {
        List<String> lines = await().atMost(30, TimeUnit.SECONDS).until(
                () -> run("metadata-quorum", "describe", "--replication").assertSuccess().out().lines().toList(),
                l -> l.size() == 4 && l.stream().skip(1).allMatch(row -> row.matches("\\d+ +\\d+ +0 .*")));

        assertTrue(lines.get(0).matches("NodeId +LogEndOffset +Lag +LastFetchTimestamp +LastCaughtUpTimestamp +Status"),
                lines.get(0));
        assertTrue(lines.get(1).matches("100 +\\d+ +0 +\\d{13} +\\d{13} +Leader"), lines.get(1));
        assertTrue(lines.get(2).matches("1 +\\d+ +0 +\\d{13} +\\d{13} +Observer"), lines.get(2));
        assertTrue(lines.get(3).matches("2 +\\d+ +0 +\\d{13} +\\d{13} +Observer"), lines.get(3));

        List<String> human = run("metadata-quorum", "describe", "--replication", "--human-readable").assertSuccess().out()
                .lines().toList();
        assertTrue(human.get(1).matches("100 +\\d+ +\\d+ +\\d+ ms ago +\\d+ ms ago +Leader"), human.get(1));
        String json = run("metadata-quorum", "describe", "--replication", "--output", "json").assertSuccess().out();
        assertTrue(json.matches("\\[\\{\"nodeId\":100,\"logEndOffset\":\\d+,\"lag\":0,\"lastFetchTimestamp\":\\d+,"
                + "\"lastCaughtUpTimestamp\":\\d+,\"status\":\"Leader\"},\\{\"nodeId\":1,.*\"status\":\"Observer\"},"
                + "\\{\"nodeId\":2,.*\"status\":\"Observer\"}]\\n"), json);
    }

    @Test
    void topicsDescribeAsJsonCarriesPartitionsConfigsAndOfflineReplicas() throws Exception {
        Cli.runAgainst(bootstrap, "topics", "--create", "--topic", "json-topic", "--partitions", "2",
                "--replication-factor", "2", "--config", "retention.ms=1000").assertSuccess();
        cluster.awaitTopic("json-topic");
        TopicDescription topic;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            topic = await().atMost(30, TimeUnit.SECONDS).until(() -> admin.describeTopics(List.of("json-topic"))
                    .allTopicNames().get().get("json-topic"), t -> t.partitions().stream().allMatch(p -> p.isr().size() == 2));
        }
        String partitions = topic.partitions().stream().map(p -> "{\"partition\":" + p.partition() + ",\"leader\":"
                + p.leader().id() + ",\"replicas\":" + ids(p.replicas()) + ",\"isr\":" + ids(p.isr()) + ",\"offline\":[]}")
                .collect(Collectors.joining(","));
        String expected = "[{\"topic\":\"json-topic\",\"topicId\":\"" + topic.topicId() + "\",\"internal\":false,"
                + "\"partitionCount\":2,\"replicationFactor\":2,\"configs\":{\"retention.ms\":\"1000\"},\"partitions\":["
                + partitions + "]}]\n";

        assertEquals(expected, Cli.runAgainst(bootstrap, "topics", "--describe", "--topic", "json-topic", "--output", "json")
                .assertSuccess().out());
        assertEquals("[]\n", Cli.runAgainst(bootstrap, "topics", "--describe", "--topic", "none-such", "--if-exists",
                "--output", "json").assertSuccess().out());
    }

    private static String ids(List<io.tributary.client.Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(",", "[", "]"));
    }
}
