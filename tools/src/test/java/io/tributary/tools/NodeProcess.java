package io.tributary.tools;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Helpers for tests that start {@code tributary server} as a separate process. */
final class NodeProcess {

    private NodeProcess() {
    }

    /**
     * Waits until the node on 127.0.0.1:{@code port} reports SERVING through the gRPC health service;
     * fails at once, with the node's output from {@code log}, when the process exits first.
     */
    static void awaitServing(Process server, int port, Path log) {
        awaitServing(server, "127.0.0.1", port, log, 90);
    }

    /** {@link #awaitServing(Process, int, Path)} for a node on {@code host}, waiting up to {@code timeoutS}. */
    static void awaitServing(Process server, String host, int port, Path log, long timeoutS) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            await().atMost(timeoutS, TimeUnit.SECONDS).ignoreExceptionsInstanceOf(StatusRuntimeException.class).until(() -> {
                if (!server.isAlive()) {
                    throw new AssertionError("the node exited with " + server.exitValue() + ":\n" + Files.readString(log));
                }
                return health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
                        .getStatus() == ServingStatus.SERVING;
            });
        } finally {
            channel.shutdownNow();
        }
    }
}
