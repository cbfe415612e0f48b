package io.tributary.broker.request;

import io.tributary.broker.partition.DelayedOperation;
import io.tributary.proto.v1.FetchRequest;
import io.tributary.proto.v1.FetchResponse;
import java.util.concurrent.CompletableFuture;

/** A fetch waiting for min_bytes of committed data, an error, or max_wait_ms. */
final class DelayedFetch extends DelayedOperation {

    private final FetchHandler handler;
    private final FetchRequest request;
    private final CompletableFuture<FetchResponse> future;

    DelayedFetch(FetchHandler handler, FetchRequest request, CompletableFuture<FetchResponse> future) {
        this.handler = handler;
        this.request = request;
        this.future = future;
    }

    @Override
    protected boolean isSatisfied() {
        return handler.isSatisfied(request);
    }

    @Override
    protected void onComplete(boolean expired) {
        try {
            future.complete(handler.readAll(request));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }
}
