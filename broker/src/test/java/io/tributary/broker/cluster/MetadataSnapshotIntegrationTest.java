package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tributary.broker.server.BrokerServer;
import io.tributary.proto.v1.AdminServiceGrpc;
import io.tributary.proto.v1.CreateTopicsRequest;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.proto.v1.NewTopic;
import io.tributary.quorum.runtime.FileQuorumStateStore;
import io.tributary.storage.LogManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata snapshots on real nodes: with a small snapshot interval the log prefix goes, and nodes that
 * join late (a new broker, a controller that lost its disk) catch up from the leader's snapshot.
 */
@Tag("integration")
class MetadataSnapshotIntegrationTest {

    private static final int TOPICS = 40;

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

    private void createTopics() {
        channel = NettyChannelBuilder.forTarget(cluster.bootstrap(1)).usePlaintext().build();
        AdminServiceGrpc.AdminServiceBlockingStub admin = AdminServiceGrpc.newBlockingStub(channel);
        for (int i = 0; i < TOPICS; i++) {
            ErrorCode code = admin.withDeadlineAfter(30, TimeUnit.SECONDS).createTopics(CreateTopicsRequest.newBuilder()
                    .addTopics(NewTopic.newBuilder().setName("topic-" + i).setNumPartitions(1)
                            .setReplicationFactor(1)).build()).getTopics(0).getErrorCode();
            assertEquals(ErrorCode.ERROR_CODE_NONE, code, "topic-" + i);
        }
    }

    private static boolean hasSnapshot(Path dataDir) throws IOException {
        Path log = dataDir.resolve(LogManager.METADATA_LOG_DIR_NAME);
        if (!Files.isDirectory(log)) {
            return false;
        }
        try (Stream<Path> files = Files.list(log)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".checkpoint"));
        }
    }

    private void awaitAllTopics(BrokerServer node) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> node.metadataImage().topicsByName().size() == TOPICS);
    }

    @Test
    void aLateBrokerCatchesUpFromTheSnapshot() throws Exception {
        cluster = new InProcessCluster(dir, 3, 2, Map.of("metadata.log.max.record.bytes.between.snapshots", "512"));
        cluster.controllerIds().forEach(cluster::start);
        cluster.start(1);
        createTopics();
        for (int controller : cluster.controllerIds()) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> hasSnapshot(cluster.dataDir(controller)));
        }

        cluster.start(2);

        awaitAllTopics(cluster.node(2));
        assertTrue(hasSnapshot(cluster.dataDir(2)), "the late broker installed the leader's snapshot");
    }

    @Test
    void aControllerThatLostItsDiskRejoinsWithoutVotingUntilCaughtUp() throws Exception {
        cluster = new InProcessCluster(dir, 3, 1, Map.of("metadata.log.max.record.bytes.between.snapshots", "512"));
        cluster.start();
        createTopics();
        await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.agreedActiveController() >= 0);
        int active = cluster.agreedActiveController();
        int wiped = cluster.controllerIds().stream().filter(id -> id != active).findFirst().orElseThrow();
        cluster.stop(wiped);
        try (Stream<Path> files = Files.walk(cluster.dataDir(wiped))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }

        cluster.start(wiped, true);

        awaitAllTopics(cluster.node(wiped));
        Path quorumState = cluster.dataDir(wiped).resolve(FileQuorumStateStore.FILE_NAME);
        await().atMost(30, TimeUnit.SECONDS).until(() -> !Files.readString(quorumState).contains("catchingUp=true"));
        cluster.stop(active);
        await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.agreedActiveController() >= 0);
        assertEquals(TOPICS, cluster.node(cluster.agreedActiveController()).metadataImage().topicsByName().size(),
                "the new quorum, with the rejoined controller voting, kept every topic");
    }
}
