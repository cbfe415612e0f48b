package io.tributary.broker.group;

import io.tributary.broker.partition.DelayedOperationPurgatory;
import io.tributary.broker.partition.Partition;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.common.errors.CoordinatorLoadInProgressException;
import io.tributary.common.errors.CoordinatorNotAvailableException;
import io.tributary.common.errors.NotCoordinatorException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.record.MemoryRecords;
import io.tributary.common.record.Record;
import io.tributary.common.record.RecordBatch;
import io.tributary.common.record.RecordBatchBuilder;
import io.tributary.storage.FetchDataInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the {@link GroupCoordinatorShard} of one __consumer_offsets partition this broker leads,
 * on the shard's own thread: loads the shard by replaying the partition, then runs each operation,
 * appends its records as leader and answers once the high watermark covers them (reads wait for
 * everything written before them, so an answer never shows an uncommitted change). When an append
 * fails, the shard is rebuilt from the log, so state that never reached the log does not survive.
 *
 * <p>Thread-safety: {@link #submit} and {@link #close} may be called from any thread; the shard
 * is touched only by the driver's thread.
 */
final class CoordinatorShardDriver {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorShardDriver.class);
    private static final int LOAD_READ_BYTES = 1 << 20;
    private static final long LOAD_RETRY_BACKOFF_MS = 1_000;
    /** How often, at most, the groups are republished for metrics while they change. */
    private static final long PUBLISH_INTERVAL_MS = 100;

    private enum Status { LOADING, ACTIVE, CLOSED }

    private final Partition partition;
    private final int leaderEpoch;
    private final GroupCoordinatorConfig config;
    private final DelayedOperationPurgatory purgatory;
    private final Supplier<Map<String, Integer>> topics;
    private final Time time;
    private final long writeTimeoutMs;
    /** Whether {@link #publishedGroups()} is kept up to date (only the group lag metrics read it). */
    private final boolean publishing;
    private final ExecutorService thread;
    private volatile Status status = Status.LOADING;
    private GroupCoordinatorShard shard;
    private long writtenEndOffset;
    private volatile List<CoordinatedGroup> published = List.of();
    private boolean changedSincePublished;
    private long publishedAtMs;

    CoordinatorShardDriver(Partition partition, int leaderEpoch, GroupCoordinatorConfig config,
                           DelayedOperationPurgatory purgatory, Supplier<Map<String, Integer>> topics, Time time,
                           long writeTimeoutMs, boolean publishing) {
        this.partition = partition;
        this.leaderEpoch = leaderEpoch;
        this.config = config;
        this.purgatory = purgatory;
        this.topics = topics;
        this.time = time;
        this.writeTimeoutMs = writeTimeoutMs;
        this.publishing = publishing;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofVirtual()
                .name("group-coordinator-" + partition.topicPartition().partition()).factory());
    }

    TopicPartition topicPartition() {
        return partition.topicPartition();
    }

    int leaderEpoch() {
        return leaderEpoch;
    }

    /** The local replica this driver writes to (a recreated topic has a new one). */
    Partition partition() {
        return partition;
    }

    /**
     * The shard's groups as of a recent operation (any thread; never waits for the driver; immutable):
     * retaken after loading, then at most every {@value #PUBLISH_INTERVAL_MS} ms while records are
     * written (the periodic {@link #tick} runs that often), copying only the groups that changed; they
     * may include changes still being replicated. Empty once closed, and always when not publishing.
     */
    List<CoordinatedGroup> publishedGroups() {
        return published;
    }

    /** Starts loading on the driver's thread. */
    void start() {
        thread.execute(this::load);
    }

    /**
     * Runs {@code operation} on the shard; the future completes with its answer once its records
     * are committed, or with {@code onError}'s answer for a coordinator error (not loaded, deposed,
     * timed out).
     */
    <T> CompletableFuture<T> submit(Function<GroupCoordinatorShard, CoordinatorResult<T>> operation,
                                    Function<ApiException, T> onError) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            thread.execute(() -> run(operation, onError, future));
        } catch (RejectedExecutionException e) {
            future.complete(onError.apply(notCoordinator()));
        }
        return future;
    }

    /** Removes expired members and offsets (called periodically). */
    void tick() {
        submit(shard -> new CoordinatorResult<>(shard.expire(time.milliseconds(), topics.get()), Boolean.TRUE),
                e -> Boolean.FALSE);
    }

    /** Stops the driver; operations queued or waiting answer NOT_COORDINATOR. */
    synchronized void close() {
        status = Status.CLOSED;
        published = List.of();
        thread.shutdown();
    }

    private <T> void run(Function<GroupCoordinatorShard, CoordinatorResult<T>> operation,
                         Function<ApiException, T> onError, CompletableFuture<T> future) {
        if (status != Status.ACTIVE || !partition.isLeaderAt(leaderEpoch)) {
            future.complete(onError.apply(status == Status.LOADING ? new CoordinatorLoadInProgressException(
                    "the coordinator is loading " + partition.topicPartition()) : notCoordinator()));
            return;
        }
        CoordinatorResult<T> result;
        try {
            result = operation.apply(shard);
        } catch (RuntimeException e) {
            log.error("Group coordinator {}: an operation failed; reloading the state from the log",
                    partition.topicPartition(), e);
            future.complete(onError.apply(new CoordinatorNotAvailableException("the coordinator failed: " + e)));
            reload();
            return;
        }
        if (!result.records().isEmpty() && !append(result.records())) {
            future.complete(onError.apply(new CoordinatorNotAvailableException("the coordinator could not write "
                    + "to " + partition.topicPartition() + "; retry")));
            reload();
            return;
        }
        if (publishing) {
            changedSincePublished |= !result.records().isEmpty();
            maybePublish();
        }
        awaitCommitted(result.response(), onError, future);
    }

    private void maybePublish() {
        long nowMs = time.hiResMilliseconds();
        if (changedSincePublished && nowMs - publishedAtMs >= PUBLISH_INTERVAL_MS) {
            publish(nowMs);
        }
    }

    private void publish(long nowMs) {
        changedSincePublished = false;
        publishedAtMs = nowMs;
        List<CoordinatedGroup> groups = shard.coordinatedGroups();
        synchronized (this) {
            if (status != Status.CLOSED) {
                published = groups;
            }
        }
    }

    private boolean append(List<CoordinatorRecord> records) {
        long nowMs = time.milliseconds();
        RecordBatchBuilder batch = new RecordBatchBuilder();
        for (CoordinatorRecord record : records) {
            batch.append(nowMs, record.keyBytes(), record.valueBytes());
        }
        try {
            Partition.LeaderAppend appended = partition.appendAsLeader(batch.build(), nowMs, leaderEpoch);
            writtenEndOffset = appended.validation().lastOffset() + 1;
            return true;
        } catch (RuntimeException e) {
            log.warn("Group coordinator {}: append failed ({}); reloading the state from the log",
                    partition.topicPartition(), e.getMessage());
            return false;
        }
    }

    private <T> void awaitCommitted(T response, Function<ApiException, T> onError, CompletableFuture<T> future) {
        DelayedCoordinatorWrite wait = new DelayedCoordinatorWrite(partition, writtenEndOffset, leaderEpoch,
                outcome -> future.complete(switch (outcome) {
                    case COMMITTED -> response;
                    case DEPOSED -> onError.apply(notCoordinator());
                    case TIMED_OUT -> onError.apply(new TimeoutException("the coordinator's write to "
                            + partition.topicPartition() + " was not replicated within " + writeTimeoutMs + " ms"));
                }));
        purgatory.tryCompleteElseWatch(wait, List.of(partition.topicPartition()), writeTimeoutMs);
    }

    /**
     * Rebuilds the shard from the log, on the driver's thread (after {@code delayMs}). Nothing once
     * the driver is closed: its leadership is over and another driver loads afresh.
     */
    private synchronized void reload(long delayMs) {
        if (status == Status.CLOSED) {
            return;
        }
        status = Status.LOADING;
        try {
            thread.execute(() -> {
                if (delayMs > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMs));
                }
                load();
            });
        } catch (RejectedExecutionException e) {
            log.debug("Group coordinator {} closed before it could reload", partition.topicPartition());
        }
    }

    private void reload() {
        reload(0);
    }

    private void load() {
        if (status == Status.CLOSED) {
            return;
        }
        long startMs = time.hiResMilliseconds();
        try {
            GroupCoordinatorShard loaded = new GroupCoordinatorShard(config, publishing);
            long endOffset = partition.logEndOffset();
            long offset = partition.logStartOffset();
            long records = 0;
            while (offset < endOffset) {
                FetchDataInfo data = partition.log().read(offset, LOAD_READ_BYTES, endOffset, true);
                if (data.isEmpty()) {
                    break;
                }
                for (RecordBatch batch : MemoryRecords.readableRecords(data.records())) {
                    for (Record record : batch.records()) {
                        if (record.offset() >= offset && record.offset() < endOffset) {
                            replay(loaded, record);
                            records++;
                        }
                    }
                    offset = batch.lastOffset() + 1;
                }
            }
            loaded.onLoaded(time.milliseconds());
            shard = loaded;
            writtenEndOffset = endOffset;
            if (publishing) {
                publish(time.hiResMilliseconds());
            }
            activate();
            log.info("Group coordinator for {} loaded at leader epoch {}: {} records, {} groups, in {} ms",
                    partition.topicPartition(), leaderEpoch, records, loaded.groupCount(),
                    time.hiResMilliseconds() - startMs);
        } catch (RuntimeException e) {
            log.error("Group coordinator {}: loading failed; retrying in {} ms", partition.topicPartition(),
                    LOAD_RETRY_BACKOFF_MS, e);
            reload(LOAD_RETRY_BACKOFF_MS);
        }
    }

    private synchronized void activate() {
        if (status != Status.CLOSED) {
            status = Status.ACTIVE;
        }
    }

    /** Replays one record; a record kind this version does not know (a newer writer's) is skipped. */
    private void replay(GroupCoordinatorShard loaded, Record record) {
        CoordinatorRecord parsed = CoordinatorRecord.parse(ByteBuffer.wrap(record.key()),
                record.value() == null ? null : ByteBuffer.wrap(record.value()));
        if (parsed == null) {
            log.warn("Group coordinator {}: skipping record at offset {} of an unknown kind",
                    partition.topicPartition(), record.offset());
            return;
        }
        loaded.replay(parsed);
    }

    private NotCoordinatorException notCoordinator() {
        return new NotCoordinatorException("this node no longer coordinates the groups of "
                + partition.topicPartition());
    }
}
