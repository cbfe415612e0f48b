package io.tributary.broker.controller;

import io.tributary.broker.metadata.MetadataImage;
import io.tributary.broker.metadata.MetadataLoader;
import io.tributary.common.errors.BrokerNotAvailableException;
import io.tributary.proto.metadata.v1.MetadataRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller of a single combined node: a single-threaded event loop. Every write operation
 * runs on the loop thread, reads the current image, produces records plus a response
 * ({@link ControllerResult}), commits the records to the {@link MetadataLog} — which applies them
 * to the {@link MetadataLoader} as they commit — and only then completes the caller's future. No
 * locks: the loop thread is the only writer of metadata.
 */
public final class LocalController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalController.class);

    private final MetadataLog metadataLog;
    private final MetadataLoader loader;
    private final ExecutorService loop;

    public LocalController(MetadataLog metadataLog, MetadataLoader loader) {
        this.metadataLog = metadataLog;
        this.loader = loader;
        this.loop = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "controller-event-loop");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs a write operation on the loop: {@code operation} sees the current image and returns records
     * plus a response; the future completes with the response once the records are committed and applied.
     */
    public <R> CompletableFuture<R> write(Function<MetadataImage, ControllerResult<R>> operation) {
        return submit(() -> {
            ControllerResult<R> result = operation.apply(loader.image());
            commit(result.records());
            return result.response();
        });
    }

    /** Commits records produced outside a request (e.g. the node registering itself). */
    public CompletableFuture<MetadataImage> append(List<MetadataRecord> records) {
        return submit(() -> {
            commit(records);
            return loader.image();
        });
    }

    private void commit(List<MetadataRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        metadataLog.appendAndCommit(records);
    }

    private <T> CompletableFuture<T> submit(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    future.complete(task.call());
                } catch (Throwable e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new BrokerNotAvailableException("the controller is shut down"));
        }
        return future;
    }

    /** Stops the loop after the operations already queued; closes the metadata log. */
    @Override
    public void close() {
        loop.shutdown();
        try {
            if (!loop.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Controller loop did not drain within 30 s; abandoning queued operations");
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
        }
        metadataLog.close();
    }
}
