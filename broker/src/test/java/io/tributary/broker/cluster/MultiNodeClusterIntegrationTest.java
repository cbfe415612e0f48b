package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.proto.controller.v1.ControllerServiceGrpc;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreateTopicResult;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.quorum.image.PartitionImage;
import io.tributary.quorum.image.TopicImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three dedicated controllers and three brokers in one JVM, talking gRPC on loopback. */
@Tag("integration")
class MultiNodeClusterIntegrationTest {

    @TempDir
    Path dir;
    private InProcessCluster cluster;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown() {
        channels.forEach(ManagedChannel::shutdownNow);
        if (cluster != null) {
            cluster.close();
        }
    }

    private ManagedChannel channel(int port) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private AdminServiceGrpc.AdminServiceBlockingStub admin(int brokerId) {
        int port = Integer.parseInt(cluster.bootstrap(brokerId).split(":")[1]);
        return AdminServiceGrpc.newBlockingStub(channel(port)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static CreateTopicsRequest create(String name, int partitions, int replicationFactor) {
        return CreateTopicsRequest.newBuilder().addTopics(NewTopic.newBuilder().setName(name)
                .setNumPartitions(partitions).setReplicationFactor(replicationFactor)).build();
    }

    private int awaitActiveController() {
        int[] active = {-1};
        await().atMost(30, TimeUnit.SECONDS).until(() -> (active[0] = cluster.agreedActiveController()) >= 0);
        return active[0];
    }

    @Test
    void brokersRegisterAndTopicsAreSpreadAndSeenEverywhere() {
        cluster = new InProcessCluster(dir, 3, 3, Map.of()).start();
        CreateTopicResult created = admin(1).createTopics(create("spread", 6, 3)).getTopics(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, created.getErrorCode(), created.toString());
        for (int id : cluster.brokerIds()) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.node(id).metadataImage().topic("spread").isPresent());
        }
        TopicImage topic = cluster.node(2).metadataImage().topic("spread").orElseThrow();
        Map<Integer, Integer> leaders = new HashMap<>();
        for (PartitionImage p : topic.partitions().values()) {
            assertEquals(3, p.replicas().stream().distinct().count(), p.toString());
            leaders.merge(p.leader(), 1, Integer::sum);
        }
        assertEquals(Map.of(1, 2, 2, 2, 3, 2), leaders, "leaders spread evenly over the brokers");
        assertEquals(3, cluster.node(3).metadataImage().liveBrokerCount());
        cluster.awaitTopic("spread");
        cluster.controllerIds().forEach(id -> assertEquals(topic, cluster.node(id).metadataImage().topic("spread")
                .orElseThrow(), "standby controllers replay the same log"));
    }

    @Test
    void conflictingCreationsYieldOneSuccessAndOneTopicAlreadyExists() {
        cluster = new InProcessCluster(dir, 3, 3, Map.of()).start();
        CompletableFuture<CreateTopicResult> first = CompletableFuture.supplyAsync(() ->
                admin(1).createTopics(create("contested", 2, 2)).getTopics(0));
        CompletableFuture<CreateTopicResult> second = CompletableFuture.supplyAsync(() ->
                admin(2).createTopics(create("contested", 3, 1)).getTopics(0));
        List<ErrorCode> codes = new ArrayList<>(List.of(first.join().getErrorCode(), second.join().getErrorCode()));
        codes.sort(null);
        assertEquals(List.of(ErrorCode.ERROR_CODE_NONE, ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS), codes);
    }

    @Test
    void aStandbyControllerAnswersNotControllerNamingTheActiveOne() {
        cluster = new InProcessCluster(dir, 3, 1, Map.of()).start();
        int active = awaitActiveController();
        int standby = cluster.controllerIds().stream().filter(id -> id != active).findFirst().orElseThrow();
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> ControllerServiceGrpc.newBlockingStub(channel(cluster.controllerPort(standby)))
                        .withDeadlineAfter(10, TimeUnit.SECONDS).createTopics(create("x", 1, 1)));
        assertEquals("ERROR_CODE_NOT_CONTROLLER", e.getTrailers().get(
                io.tributary.quorum.transport.ControllerGrpcService.ERROR_CODE));
        assertTrue(e.getStatus().getDescription().contains("node " + active + " at 127.0.0.1:"
                + cluster.controllerPort(active)), e.getStatus().getDescription());
    }

    @Test
    void losingTheActiveControllerElectsAnotherAndAdministrationGoesOn() {
        cluster = new InProcessCluster(dir, 3, 1, Map.of()).start();
        assertEquals(ErrorCode.ERROR_CODE_NONE, admin(1).createTopics(create("before", 1, 1)).getTopics(0)
                .getErrorCode());
        int first = awaitActiveController();
        cluster.stop(first);
        int second = awaitActiveController();
        assertNotEquals(first, second);
        CreateTopicResult after = admin(1).createTopics(create("after", 1, 1)).getTopics(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, after.getErrorCode(), after.toString());
        assertTrue(cluster.node(second).metadataImage().topic("before").isPresent(), "nothing committed was lost");
        cluster.start(first);
        await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.node(first).metadataImage().topic("after").isPresent());
    }

    @Test
    void combinedNodesFormAQuorumAndSurviveLosingTheActiveController() {
        cluster = InProcessCluster.combined(dir, 3).start();
        assertEquals(ErrorCode.ERROR_CODE_NONE, admin(1).createTopics(create("combined", 3, 3)).getTopics(0)
                .getErrorCode());
        int active = awaitActiveController();
        cluster.stop(active);
        int survivor = cluster.brokerIds().stream().filter(id -> id != active).findFirst().orElseThrow();
        CreateTopicResult after = admin(survivor).createTopics(create("combined-after", 2, 2)).getTopics(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, after.getErrorCode(), after.toString());
        cluster.awaitTopic("combined-after");
        assertTrue(cluster.node(survivor).metadataImage().topic("combined").orElseThrow().partitions().values().stream()
                .allMatch(p -> p.leader() != active), "the stopped node's leaderships moved in its controlled shutdown");
    }

    @Test
    void aBrokerInControlledShutdownHandsItsLeadershipsToInSyncReplicas() {
        cluster = new InProcessCluster(dir, 3, 3, Map.of()).start();
        assertEquals(ErrorCode.ERROR_CODE_NONE, admin(1).createTopics(create("moving", 6, 3)).getTopics(0)
                .getErrorCode());
        cluster.stop(3);
        await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.node(1).metadataImage().topic("moving").orElseThrow()
                .partitions().values().stream().noneMatch(p -> p.leader() == 3 || p.isr().contains(3)));
        TopicImage topic = cluster.node(1).metadataImage().topic("moving").orElseThrow();
        topic.partitions().values().forEach(p -> assertTrue(p.leader() == 1 || p.leader() == 2, p.toString()));
        assertTrue(cluster.node(1).metadataImage().broker(3).orElseThrow().fenced());
        cluster.start(3);
        await().atMost(10, TimeUnit.SECONDS).until(() -> !cluster.node(1).metadataImage().broker(3).orElseThrow()
                .fenced());
    }
}
