package io.tributary.quorum.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.MutableHandlerRegistry;
import io.tributary.common.MockTime;
import io.tributary.common.Time;
import io.tributary.common.errors.StaleBrokerEpochException;
import io.tributary.proto.controller.v1.AlterPartitionRequest;
import io.tributary.proto.controller.v1.AlterPartitionResponse;
import io.tributary.proto.controller.v1.BrokerHeartbeatRequest;
import io.tributary.proto.controller.v1.BrokerRegistrationRequest;
import io.tributary.proto.controller.v1.IsrChange;
import io.tributary.proto.controller.v1.IsrChangeResult;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.quorum.controller.BrokerControl;
import io.tributary.quorum.controller.ConfigControl;
import io.tributary.storage.LogConfig;
import io.tributary.quorum.controller.QuorumController;
import io.tributary.quorum.controller.ReplicaPlacer;
import io.tributary.quorum.controller.TopicControl;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.runtime.MetadataQuorum;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's side of replication through the real stack: a one-voter metadata quorum on files,
 * its controller behind the gRPC service on loopback, and brokers' calls through a broker-only
 * {@link ControllerClient}. The controller runs on a {@link MockTime}, so broker sessions never expire
 * here and the leader rebalance comes exactly when the test moves the clock.
 */
@Tag("integration")
class ControllerReplicationIntegrationTest {

    private static final long SESSION_MS = 600_000;
    private static final long REBALANCE_INTERVAL_MS = 60_000;

    @TempDir
    Path dir;
    private final MockTime time = new MockTime();
    private final MetadataLoader loader = new MetadataLoader();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<Integer, Long> brokerEpochs = new HashMap<>();
    private Server server;
    private ControllerClient client;

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the quorum and controller, and registers and unfences brokers 1 to 3. */
    private void start(boolean autoLeaderRebalance) throws Exception {
        MutableHandlerRegistry services = new MutableHandlerRegistry();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).fallbackHandlerRegistry(services)
                .build().start();
        MetadataQuorum quorum = new MetadataQuorum(new MetadataQuorum.Settings(1,
                Map.of(1, new InetSocketAddress("127.0.0.1", server.getPort())), dir, 150, 400, 1L << 30, 3_600_000),
                loader, Time.SYSTEM);
        closeables.add(quorum);
        QuorumController controller = new QuorumController(quorum, loader,
                new TopicControl(1, 3, Map.of(), UUID::randomUUID, new ReplicaPlacer(new Random(7))),
                new BrokerControl("cluster", SESSION_MS, Map.of()),
                new ConfigControl(Map.of(), LogConfig.CONFIG_DEF),
                new QuorumController.Settings(10_000, 20, autoLeaderRebalance, 10, REBALANCE_INTERVAL_MS), time);
        closeables.add(controller);
        services.addService(quorum.service());
        services.addService(new ControllerGrpcService(controller));
        quorum.start();
        controller.start();
        client = new ControllerClient(quorum, null, 50, 10_000, 30_000);
        closeables.add(client);
        for (int id = 1; id <= 3; id++) {
            register(id, "first");
        }
    }

    private void register(int id, String incarnation) throws Exception {
        long epoch = client.registerBroker(BrokerRegistrationRequest.newBuilder().setBrokerId(id)
                .setIncarnationId(incarnation + "-" + id).setClusterId("cluster").setHost("localhost").setPort(9000 + id)
                .build()).get(30, TimeUnit.SECONDS).getBrokerEpoch();
        brokerEpochs.put(id, epoch);
        client.heartbeat(BrokerHeartbeatRequest.newBuilder().setBrokerId(id).setBrokerEpoch(epoch)
                .setMetadataOffset(epoch).build()).get(30, TimeUnit.SECONDS);
    }

    private String createTopic() throws Exception {
        var created = client.createTopics(CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName("t")
                .setNumPartitions(1).setReplicationFactor(3)).build()).get(30, TimeUnit.SECONDS).getTopics(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, created.getErrorCode(), created.getErrorMessage());
        return created.getTopicId();
    }

    private PartitionImage partition() {
        return loader.image().topic("t").orElseThrow().partitions().get(0);
    }

    private IsrChangeResult alter(String topicId, PartitionImage state, int partitionEpoch, List<Integer> newIsr)
            throws Exception {
        AlterPartitionResponse response = client.alterPartition(AlterPartitionRequest.newBuilder()
                .setBrokerId(state.leader()).setBrokerEpoch(brokerEpochs.get(state.leader()))
                .addChanges(IsrChange.newBuilder().setTopicId(topicId).setPartition(0)
                        .setLeaderEpoch(state.leaderEpoch()).setPartitionEpoch(partitionEpoch).addAllNewIsr(newIsr))
                .build()).get(30, TimeUnit.SECONDS);
        return response.getResults(0);
    }

    @Test
    void aValidShrinkCommitsAndAChangeFromTheReplacedPartitionEpochIsRefused() throws Exception {
        start(false);
        String topicId = createTopic();
        PartitionImage before = partition();
        List<Integer> shrunk = List.of(before.leader(), before.replicas().stream()
                .filter(r -> r != before.leader()).findFirst().orElseThrow());

        IsrChangeResult accepted = alter(topicId, before, before.partitionEpoch(), shrunk);
        assertEquals(ErrorCode.ERROR_CODE_NONE, accepted.getErrorCode(), accepted.getErrorMessage());
        assertEquals(before.partitionEpoch() + 1, accepted.getPartitionEpoch());
        PartitionImage after = partition();
        assertEquals(new PartitionImage(0, before.replicas(), shrunk, before.leader(), before.leaderEpoch(),
                before.partitionEpoch() + 1), after, "answered once committed and applied to the image");

        IsrChangeResult stale = alter(topicId, before, before.partitionEpoch(), List.of(before.leader()));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_UPDATE_VERSION, stale.getErrorCode(), stale.getErrorMessage());
        assertEquals(after, partition(), "nothing was written");

        ExecutionException staleBroker = assertThrows(ExecutionException.class, () -> client.alterPartition(
                AlterPartitionRequest.newBuilder().setBrokerId(after.leader())
                        .setBrokerEpoch(brokerEpochs.get(after.leader()) - 1).build()).get(30, TimeUnit.SECONDS));
        assertInstanceOf(StaleBrokerEpochException.class, staleBroker.getCause(), "the whole request fails over gRPC");
    }

    @Test
    void theControllerLoopGivesLeadershipBackToThePreferredReplicaWhenTheClockSaysSo() throws Exception {
        start(true);
        String topicId = createTopic();
        int preferred = partition().replicas().get(0);
        assertEquals(preferred, partition().leader());

        client.heartbeat(BrokerHeartbeatRequest.newBuilder().setBrokerId(preferred)
                .setBrokerEpoch(brokerEpochs.get(preferred)).setWantShutdown(true).build()).get(30, TimeUnit.SECONDS);
        PartitionImage moved = partition();
        int interim = moved.leader();
        assertEquals(moved.replicas().get(1), interim, "controlled shutdown moved leadership to the next replica");

        register(preferred, "restarted");
        IsrChangeResult expanded = alter(topicId, moved, moved.partitionEpoch(), moved.replicas());
        assertEquals(ErrorCode.ERROR_CODE_NONE, expanded.getErrorCode(), expanded.getErrorMessage());
        assertEquals(interim, partition().leader(), "the rebalance interval has not passed on the controller's clock");

        time.sleep(REBALANCE_INTERVAL_MS);
        await().atMost(20, TimeUnit.SECONDS).until(() -> partition().leader() == preferred);
        assertEquals(moved.leaderEpoch() + 1, partition().leaderEpoch());
        assertEquals(moved.replicas(), partition().isr());
    }
}
