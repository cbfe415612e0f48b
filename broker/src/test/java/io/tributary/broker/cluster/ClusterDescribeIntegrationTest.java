package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.TestNode;
import io.tributary.proto.v1.BrokerDescription;
import io.tributary.proto.v1.ClusterServiceGrpc;
import io.tributary.proto.v1.ControllerDescription;
import io.tributary.proto.v1.DescribeClusterRequest;
import io.tributary.proto.v1.DescribeClusterResponse;
import io.tributary.proto.v1.DescribeQuorumRequest;
import io.tributary.proto.v1.DescribeQuorumResponse;
import io.tributary.proto.v1.QuorumReplicaState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClusterService.DescribeCluster and DescribeQuorum against real nodes on loopback. */
@Tag("integration")
class ClusterDescribeIntegrationTest {

    private static final DescribeClusterRequest WITH_FENCED = DescribeClusterRequest.newBuilder()
            .setIncludeFencedBrokers(true).build();

    @TempDir
    Path dir;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        channels.forEach(ManagedChannel::shutdownNow);
    }

    private ClusterServiceGrpc.ClusterServiceBlockingStub cluster(String bootstrap) {
        String[] hostPort = bootstrap.split(":");
        ManagedChannel channel = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
                .usePlaintext().build();
        channels.add(channel);
        return ClusterServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static int port(String bootstrap) {
        return Integer.parseInt(bootstrap.split(":")[1]);
    }

    @Test
    void describeClusterListsEveryBrokerWithItsStateAndTheControllers() {
        try (InProcessCluster nodes = new InProcessCluster(dir, 1, 2, Map.of("broker.rack", "rack-a")).start()) {
            // A broker's start-up ends once it is unfenced; the answering broker's image may learn it a moment later.
            DescribeClusterResponse described = await().atMost(30, TimeUnit.SECONDS).until(
                    () -> cluster(nodes.bootstrap(1)).describeCluster(WITH_FENCED),
                    d -> d.getBrokersCount() == 2 && d.getBrokersList().stream().noneMatch(BrokerDescription::getFenced));

            assertEquals(nodes.clusterId(), described.getClusterId());
            assertEquals(100, described.getControllerId());
            assertEquals(List.of(ControllerDescription.newBuilder().setNodeId(100).setHost("127.0.0.1")
                    .setPort(nodes.controllerPort(100)).build()), described.getControllersList());
            assertEquals(List.of(1, 2), described.getBrokersList().stream().map(BrokerDescription::getNodeId).toList());
            for (BrokerDescription broker : described.getBrokersList()) {
                assertEquals("127.0.0.1", broker.getHost());
                assertEquals(port(nodes.bootstrap(broker.getNodeId())), broker.getPort());
                assertEquals("rack-a", broker.getRack());
                assertEquals(false, broker.getFenced(), broker.toString());
                assertEquals(false, broker.getInControlledShutdown(), broker.toString());
                assertEquals(nodes.node(1).metadataImage().broker(broker.getNodeId()).orElseThrow().epoch(),
                        broker.getBrokerEpoch());
            }
            assertNotEquals(described.getBrokers(0).getBrokerEpoch(), described.getBrokers(1).getBrokerEpoch(),
                    "each registration has its own epoch (its offset in the metadata log)");
        }
    }

    @Test
    void aStoppedBrokerIsFencedAndLeftOutUnlessAskedFor() {
        try (InProcessCluster nodes = new InProcessCluster(dir, 1, 2, Map.of()).start()) {
            long firstEpoch = await().atMost(30, TimeUnit.SECONDS).until(() -> cluster(nodes.bootstrap(1))
                    .describeCluster(WITH_FENCED), d -> d.getBrokersCount() == 2).getBrokers(1).getBrokerEpoch();
            nodes.stop(2);
            await().atMost(30, TimeUnit.SECONDS).until(() -> cluster(nodes.bootstrap(1)).describeCluster(WITH_FENCED)
                    .getBrokers(1).getFenced());

            BrokerDescription fenced = cluster(nodes.bootstrap(1)).describeCluster(WITH_FENCED).getBrokers(1);
            assertEquals(2, fenced.getNodeId());
            assertEquals(true, fenced.getInControlledShutdown(), "it left through controlled shutdown");
            assertEquals(firstEpoch, fenced.getBrokerEpoch());
            assertEquals(List.of(1), cluster(nodes.bootstrap(1)).describeCluster(DescribeClusterRequest
                    .getDefaultInstance()).getBrokersList().stream().map(BrokerDescription::getNodeId).toList());

            nodes.start(2);
            BrokerDescription back = await().atMost(30, TimeUnit.SECONDS).until(() -> cluster(nodes.bootstrap(1))
                    .describeCluster(WITH_FENCED).getBrokers(1), broker -> !broker.getFenced());
            assertEquals(false, back.getInControlledShutdown(), back.toString());
            assertTrue(back.getBrokerEpoch() > firstEpoch, "a restart registers again with a new epoch");
        }
    }

    @Test
    void aBrokerForwardsDescribeQuorumToTheLeaderWhichSeesEveryReplicaCatchUp() {
        try (InProcessCluster nodes = new InProcessCluster(dir, 1, 2, Map.of()).start()) {
            DescribeQuorumResponse quorum = await().atMost(30, TimeUnit.SECONDS).until(
                    () -> cluster(nodes.bootstrap(2)).describeQuorum(DescribeQuorumRequest.getDefaultInstance()),
                    ClusterDescribeIntegrationTest::everyoneCaughtUp);

            assertEquals(100, quorum.getLeaderId());
            assertTrue(quorum.getLeaderEpoch() >= 1, quorum.toString());
            assertEquals(List.of(100), quorum.getVotersList().stream().map(QuorumReplicaState::getNodeId).toList());
            assertEquals(List.of(1, 2), quorum.getObserversList().stream().map(QuorumReplicaState::getNodeId).toList());
            QuorumReplicaState leader = quorum.getVoters(0);
            assertEquals(leader.getLastFetchTimestampMs(), leader.getLastCaughtUpTimestampMs());
            for (QuorumReplicaState observer : quorum.getObserversList()) {
                assertTrue(observer.getLastFetchTimestampMs() > 0, observer.toString());
                assertTrue(observer.getLastCaughtUpTimestampMs() > 0, observer.toString());
                assertTrue(observer.getLastCaughtUpTimestampMs() <= observer.getLastFetchTimestampMs(), observer.toString());
            }
        }
    }

    /** Every observer has the leader's whole log, which is committed. */
    private static boolean everyoneCaughtUp(DescribeQuorumResponse quorum) {
        long leaderEnd = quorum.getVoters(0).getLogEndOffset();
        return quorum.getObserversCount() == 2 && quorum.getHighWatermark() == leaderEnd
                && quorum.getObserversList().stream().allMatch(o -> o.getLogEndOffset() == leaderEnd);
    }

    @Test
    void aCombinedNodeThatLeadsAnswersDescribeQuorumItself() {
        try (TestNode node = new TestNode(dir)) {
            DescribeQuorumResponse quorum = cluster(node.bootstrap())
                    .describeQuorum(DescribeQuorumRequest.getDefaultInstance());

            assertEquals(1, quorum.getLeaderId());
            assertEquals(List.of(1), quorum.getVotersList().stream().map(QuorumReplicaState::getNodeId).toList());
            assertEquals(quorum.getHighWatermark(), quorum.getVoters(0).getLogEndOffset());
            assertEquals(List.of(), quorum.getObserversList(), "the node's broker is the voter itself");
            DescribeClusterResponse described = cluster(node.bootstrap()).describeCluster(WITH_FENCED);
            assertEquals(List.of(ControllerDescription.newBuilder().setNodeId(1).setHost("").setPort(-1).build()),
                    described.getControllersList(), "a lone voter has no controller listener address");
        }
    }

    @Test
    void describeQuorumIsUnavailableSayingWhatIsMissingWhenTheControllerIsDown() {
        try (InProcessCluster nodes = new InProcessCluster(dir, 1, 1, Map.of()).start()) {
            nodes.stop(100);

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> cluster(nodes.bootstrap(1)).describeQuorum(DescribeQuorumRequest.getDefaultInstance()));

            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            // The broker either still knows controller 100 as leader or has heard it resign.
            assertTrue(e.getStatus().getDescription().matches("controller 100 at 127.0.0.1:" + nodes.controllerPort(100)
                    + " did not describe the metadata quorum: UNAVAILABLE.*|node 1 knows no metadata quorum leader "
                    + "\\(no active controller; an election may be in progress\\)"), e.getStatus().getDescription());
        }
    }
}
