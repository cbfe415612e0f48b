package io.tributary.quorum.runtime;

import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.image.MetadataLoader.CommittedRecord;
import io.tributary.common.errors.BrokerNotAvailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies committed metadata records to the {@link MetadataLoader} on its own thread, so publishers'
 * work (creating and deleting partition logs) never stalls the Raft driver's elections and fetches.
 * Records are applied in the order they are handed over. A publisher failure stops applying: later
 * waiters fail with it instead of hanging, and the error is logged once.
 */
final class MetadataApplier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataApplier.class);

    private final MetadataLoader loader;
    private final ExecutorService thread;
    private final TreeMap<Long, CompletableFuture<Void>> waiters = new TreeMap<>();
    private long appliedOffset = -1;
    private RuntimeException failure;

    MetadataApplier(MetadataLoader loader) {
        this.loader = loader;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metadata-applier");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues committed records (called on the Raft driver thread); {@code lastOffset} is the last entry's. */
    void submit(List<CommittedRecord> records, long lastOffset) {
        try {
            thread.execute(() -> apply(records, lastOffset));
        } catch (RejectedExecutionException e) {
            log.debug("Metadata applier closed; dropping committed records up to {}", lastOffset);
        }
    }

    private void apply(List<CommittedRecord> records, long lastOffset) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
        }
        try {
            loader.load(records);
        } catch (RuntimeException e) {
            log.error("Applying metadata up to offset {} failed; metadata changes stop until a restart", lastOffset, e);
            fail(e);
            return;
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            appliedOffset = lastOffset;
            Map<Long, CompletableFuture<Void>> reached = waiters.headMap(lastOffset, true);
            done.addAll(reached.values());
            reached.clear();
        }
        done.forEach(future -> future.complete(null));
    }

    private void fail(RuntimeException e) {
        List<CompletableFuture<Void>> pending;
        synchronized (this) {
            failure = e;
            pending = new ArrayList<>(waiters.values());
            waiters.clear();
        }
        BrokerNotAvailableException error = new BrokerNotAvailableException("applying metadata failed: " + e, e);
        pending.forEach(future -> future.completeExceptionally(error));
    }

    /** Completes once everything up to {@code offset} was applied (at once if it already was). */
    synchronized CompletableFuture<Void> awaitApplied(long offset) {
        if (failure != null) {
            return CompletableFuture.failedFuture(new BrokerNotAvailableException("applying metadata failed: "
                    + failure, failure));
        }
        if (offset <= appliedOffset) {
            return CompletableFuture.completedFuture(null);
        }
        return waiters.computeIfAbsent(offset, ignored -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
        fail(new IllegalStateException("the node is shutting down"));
    }
}
