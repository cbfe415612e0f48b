package io.tributary.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
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
                    "tributary.v1.ClusterService", "tributary.v1.AdminService", "grpc.health.v1.Health")) {
                assertTrue(services.contains(expected), expected + " missing from " + services);
            }
        }
    }
}
