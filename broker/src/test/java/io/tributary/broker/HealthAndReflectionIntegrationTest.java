package io.tributary.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.tributary.broker.cluster.InProcessCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What probes and tools such as grpcurl rely on: the health service and server reflection. */
@Tag("integration")
class HealthAndReflectionIntegrationTest {

    @TempDir
    Path dataDir;

    @Test
    void healthIsServingAndReflectionListsEveryPublicService() throws Exception {
        try (TestNode node = new TestNode(dataDir)) {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(node.channel())
                    .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());

            CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(node.channel())
                    .serverReflectionInfo(ProduceFetchIntegrationTest.observer(answer));
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            List<String> services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList()
                    .stream().map(ServiceResponse::getName).toList();
            requests.onCompleted();
            for (String expected : List.of("tributary.v1.ProduceService", "tributary.v1.FetchService",
                    "tributary.v1.ClusterService", "tributary.v1.AdminService", "tributary.v1.GroupService",
                    "grpc.health.v1.Health")) {
                assertTrue(services.contains(expected), expected + " missing from " + services);
            }
        }
    }

    /**
     * With its controller gone, a broker's controlled shutdown waits its whole shutdown.timeout.ms:
     * the health check must say NOT_SERVING throughout, while the node still answers.
     */
    @Test
    void healthIsNotServingDuringControlledShutdown() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dataDir, 1, 1, Map.of("shutdown.timeout.ms", "5000"))) {
            cluster.start();
            String[] address = cluster.bootstrap(1).split(":");
            ManagedChannel channel = NettyChannelBuilder.forAddress(address[0], Integer.parseInt(address[1]))
                    .usePlaintext().build();
            try {
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, check(health));
                cluster.stop(InProcessCluster.FIRST_CONTROLLER_ID);
                Thread closing = Thread.ofPlatform().start(() -> cluster.stop(1));
                await().atMost(4, TimeUnit.SECONDS).until(() -> check(health)
                        == HealthCheckResponse.ServingStatus.NOT_SERVING);
                assertTrue(closing.isAlive(), "NOT_SERVING must come while the controlled shutdown still waits");
                closing.join();
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static HealthCheckResponse.ServingStatus check(HealthGrpc.HealthBlockingStub health) {
        return health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
                .getStatus();
    }
}
