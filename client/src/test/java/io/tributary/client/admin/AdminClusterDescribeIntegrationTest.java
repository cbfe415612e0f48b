package io.tributary.client.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.broker.cluster.InProcessCluster;
import io.tributary.client.Node;
import io.tributary.common.FreePorts;
import io.tributary.common.errors.TimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin.describeCluster (fenced brokers, controllers) and describeMetadataQuorum against one controller and two brokers. */
@Tag("integration")
class AdminClusterDescribeIntegrationTest {

    @TempDir
    Path dir;

    private static int port(String bootstrap) {
        return Integer.parseInt(bootstrap.split(":")[1]);
    }

    @Test
    void describeClusterListsFencedBrokersOnlyWhenAskedAndNamesTheControllers() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 2, Map.of("broker.rack", "r1")).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(1)))) {
            Node one = new Node(1, "127.0.0.1", port(cluster.bootstrap(1)), "r1");
            Node two = new Node(2, "127.0.0.1", port(cluster.bootstrap(2)), "r1");
            // A broker's start-up ends once it is unfenced; the answering broker's image may learn it a moment later.
            await().atMost(30, TimeUnit.SECONDS).until(() -> admin.describeCluster().nodes().get().size() == 2);
            DescribeClusterResult described = admin.describeCluster();
            assertEquals(List.of(one, two), List.copyOf(described.nodes().get()));
            assertEquals(cluster.clusterId(), described.clusterId().get());
            assertEquals(new Node(100, "", -1, null), described.controller().get(),
                    "a dedicated controller is no broker: only its id");
            assertEquals(List.of(new Node(100, "127.0.0.1", cluster.controllerPort(100), null)),
                    List.copyOf(described.controllers().get()));

            cluster.stop(2);
            await().atMost(30, TimeUnit.SECONDS).until(() -> admin.describeCluster().nodes().get().size() == 1);
            assertEquals(List.of(one), List.copyOf(admin.describeCluster().nodes().get()));
            List<Node> all = List.copyOf(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true))
                    .nodes().get());
            assertEquals(List.of(one, new Node(2, "127.0.0.1", port(cluster.bootstrap(2)), "r1", true)), all);
            assertTrue(all.get(1).isFenced());
            assertFalse(all.get(0).isFenced());
            List<BrokerRegistration> registrations = List.copyOf(admin.describeCluster(new DescribeClusterOptions()
                    .includeFencedBrokers(true)).brokerRegistrations().get());
            assertEquals(List.of("active", "fenced"), registrations.stream().map(BrokerRegistration::state).toList());
            assertEquals(all, registrations.stream().map(BrokerRegistration::node).toList());
            assertTrue(registrations.get(1).inControlledShutdown(), "it left through controlled shutdown");
            assertTrue(registrations.get(0).brokerEpoch() > 0 && registrations.get(1).brokerEpoch() > 0,
                    registrations.toString());
        }
    }

    @Test
    void describeMetadataQuorumShowsTheLeaderTheVotersAndTheBrokersCatchingUp() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 2, Map.of()).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(2)))) {
            QuorumInfo quorum = await().atMost(30, TimeUnit.SECONDS).until(
                    () -> admin.describeMetadataQuorum().quorumInfo().get(), q -> q.observers().size() == 2
                            && q.observers().stream().allMatch(o -> o.logEndOffset() == q.highWatermark()));

            assertEquals(100, quorum.leaderId());
            assertTrue(quorum.leaderEpoch() >= 1, quorum.toString());
            QuorumInfo.ReplicaState leader = quorum.voters().get(0);
            assertEquals(List.of(100), quorum.voters().stream().map(QuorumInfo.ReplicaState::replicaId).toList());
            assertEquals(quorum.highWatermark(), leader.logEndOffset());
            assertEquals(leader.lastFetchTimestamp(), leader.lastCaughtUpTimestamp());
            assertEquals(List.of(1, 2), quorum.observers().stream().map(QuorumInfo.ReplicaState::replicaId).toList());
            for (QuorumInfo.ReplicaState observer : quorum.observers()) {
                OptionalLong fetched = observer.lastFetchTimestamp();
                assertTrue(fetched.isPresent() && observer.lastCaughtUpTimestamp().isPresent(), observer.toString());
                assertTrue(observer.lastCaughtUpTimestamp().getAsLong() <= fetched.getAsLong(), observer.toString());
            }
        }
    }

    @Test
    void describeMetadataQuorumTimesOutSayingWhatIsMissingWhenTheControllerIsDown() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 1, 1, Map.of()).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(1)))) {
            cluster.stop(100);

            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> admin.describeMetadataQuorum(new DescribeMetadataQuorumOptions().timeoutMs(1500))
                            .quorumInfo().get());

            assertInstanceOf(TimeoutException.class, e.getCause());
            // The broker either still knows controller 100 as leader or has heard it resign.
            assertTrue(e.getCause().getMessage().matches("describeMetadataQuorum timed out after \\d+ ms; last error: "
                    + "UNAVAILABLE from " + cluster.bootstrap(1) + ": (controller 100 at 127.0.0.1:"
                    + cluster.controllerPort(100) + " did not describe the metadata quorum.*|node 1 knows no metadata "
                    + "quorum leader \\(no active controller; an election may be in progress\\))"),
                    e.getCause().getMessage());
        }
    }

    @Test
    void anUnreachableClusterFailsWithATimeoutNamingTheAddress() throws Exception {
        String address = "127.0.0.1:" + FreePorts.freePort();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", address, "default.api.timeout.ms", "1500"))) {
            AdminRetryIntegrationTest.assertTimedOutNaming("describeMetadataQuorum", address,
                    admin.describeMetadataQuorum().quorumInfo());
            AdminRetryIntegrationTest.assertTimedOutNaming("describeCluster", address,
                    admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes());
        }
    }
}
