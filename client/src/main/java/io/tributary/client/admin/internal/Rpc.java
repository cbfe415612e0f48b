package io.tributary.client.admin.internal;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One attempt of an admin call: sends a request on {@code channel} with a deadline of
 * {@code timeoutMs} and returns the response future, which fails with the gRPC status exception
 * when the RPC fails. Implementations must not block.
 *
 * @param <R> the response type
 */
@FunctionalInterface
public interface Rpc<R> {

    CompletableFuture<R> send(Channel channel, long timeoutMs);

    /**
     * Starts a unary call on an async stub and adapts its observer to a future. A stub that throws
     * while starting the call yields a failed future rather than an exception.
     */
    static <R> CompletableFuture<R> unary(Consumer<StreamObserver<R>> start) {
        CompletableFuture<R> future = new CompletableFuture<>();
        try {
            start.accept(new StreamObserver<>() {
                @Override
                public void onNext(R value) {
                    future.complete(value);
                }

                @Override
                public void onError(Throwable error) {
                    future.completeExceptionally(error);
                }

                @Override
                public void onCompleted() {
                    future.completeExceptionally(new IllegalStateException("the call ended without a response"));
                }
            });
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
        return future;
    }
}
