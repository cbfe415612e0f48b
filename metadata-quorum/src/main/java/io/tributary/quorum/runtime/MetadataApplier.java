package io.tributary.quorum.runtime;

import io.tributary.common.Time;
import io.tributary.quorum.image.MetadataImage;
import io.tributary.quorum.image.MetadataLoader;
import io.tributary.quorum.image.MetadataSnapshot;
import io.tributary.quorum.raft.OffsetAndEpoch;
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
 * Records and snapshot loads are applied in the order they are handed over. A failure to apply
 * is final: waiters fail with a non-retriable error and {@code onFailure} runs (the node leaves the
 * quorum rather than serve a frozen image). Every so many bytes of
 * entries (or so long after the last snapshot) it snapshots the image and hands the bytes to the
 * Raft driver, which may then delete the log prefix they cover. A publisher failure stops applying: later
 * waiters fail with it instead of hanging, and the error is logged once.
 */
final class MetadataApplier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataApplier.class);

    /** When to snapshot: after this many bytes of entries, or this long after the last snapshot if anything changed. */
    record SnapshotPolicy(long maxBytesBetweenSnapshots, long maxIntervalMs) {
    }

    /** Receives the snapshots the applier makes (the driver's snapshotCreated). Called on the applier thread. */
    interface SnapshotSink {
        void snapshotCreated(OffsetAndEpoch id, byte[] data);
    }

    private final MetadataLoader loader;
    private final SnapshotPolicy policy;
    private final SnapshotSink sink;
    private final Runnable onFailure;
    private final Time time;
    private final ExecutorService thread;
    private final TreeMap<Long, CompletableFuture<Void>> waiters = new TreeMap<>();
    private long appliedOffset = -1;
    private RuntimeException failure;
    private long bytesSinceSnapshot;
    private long lastSnapshotMs;

    /** @param onFailure runs (on the applier thread) once applying has failed for good */
    MetadataApplier(MetadataLoader loader, SnapshotPolicy policy, SnapshotSink sink, Runnable onFailure, Time time) {
        this.loader = loader;
        this.onFailure = onFailure;
        this.policy = policy;
        this.sink = sink;
        this.time = time;
        this.lastSnapshotMs = time.hiResMilliseconds();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metadata-applier");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues committed entries (called on the Raft driver thread, in offset order): their records,
     * and the last entry's offset and epoch; {@code entryBytes} counts towards the next snapshot.
     */
    void submit(List<CommittedRecord> records, long lastOffset, int lastEpoch, long entryBytes) {
        execute(lastOffset, () -> {
            loader.load(records);
            bytesSinceSnapshot += entryBytes;
            maybeSnapshot(lastOffset, lastEpoch);
        });
    }

    /** Queues a snapshot load (called on the Raft driver thread, before the entries that follow it). */
    void submitSnapshot(OffsetAndEpoch id, byte[] data) {
        execute(id.offset() - 1, () -> {
            MetadataImage image = loader.loadSnapshot(MetadataSnapshot.deserialize(data, id.offset() - 1));
            bytesSinceSnapshot = 0;
            lastSnapshotMs = time.hiResMilliseconds();
            log.info("Loaded the metadata snapshot {}: {} topics, {} brokers", id, image.topicsByName().size(),
                    image.brokers().size());
        });
    }

    private void maybeSnapshot(long lastOffset, int lastEpoch) {
        long nowMs = time.hiResMilliseconds();
        boolean due = bytesSinceSnapshot >= policy.maxBytesBetweenSnapshots()
                || (bytesSinceSnapshot > 0 && nowMs - lastSnapshotMs >= policy.maxIntervalMs());
        if (!due) {
            return;
        }
        sink.snapshotCreated(new OffsetAndEpoch(lastOffset + 1, lastEpoch), MetadataSnapshot.serialize(loader.image()));
        bytesSinceSnapshot = 0;
        lastSnapshotMs = nowMs;
    }

    private void execute(long offsetAfter, Runnable step) {
        try {
            thread.execute(() -> apply(offsetAfter, step));
        } catch (RejectedExecutionException e) {
            log.debug("Metadata applier closed; dropping metadata up to offset {}", offsetAfter);
        }
    }

    private void apply(long offsetAfter, Runnable step) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
        }
        try {
            step.run();
        } catch (RuntimeException e) {
            log.error("Applying metadata up to offset {} failed; this node stops taking part in the metadata quorum "
                    + "until a restart", offsetAfter, e);
            // Not retriable: the image is stuck here, and waiting for it would wait for ever.
            fail(new IllegalStateException("applying metadata up to offset " + offsetAfter + " failed (" + e
                    + "); the node must be restarted", e));
            onFailure.run();
            return;
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            appliedOffset = Math.max(appliedOffset, offsetAfter);
            Map<Long, CompletableFuture<Void>> reached = waiters.headMap(appliedOffset, true);
            done.addAll(reached.values());
            reached.clear();
        }
        done.forEach(future -> future.complete(null));
    }

    /** From now on every waiter fails with {@code error}. */
    private void fail(RuntimeException error) {
        List<CompletableFuture<Void>> pending;
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = error;
            pending = new ArrayList<>(waiters.values());
            waiters.clear();
        }
        pending.forEach(future -> future.completeExceptionally(error));
    }

    /** Whether applying failed (the node must be restarted) or the applier is closed. */
    synchronized boolean failed() {
        return failure != null;
    }

    /** Completes once everything up to {@code offset} was applied (at once if it already was). */
    synchronized CompletableFuture<Void> awaitApplied(long offset) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
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
        fail(new BrokerNotAvailableException("the node is shutting down"));
    }
}
