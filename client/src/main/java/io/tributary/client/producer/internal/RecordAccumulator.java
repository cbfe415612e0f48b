package io.tributary.client.producer.internal;

import io.tributary.client.Node;
import io.tributary.client.internal.ClusterView;
import io.tributary.client.producer.Callback;
import io.tributary.client.producer.RecordMetadata;
import io.tributary.common.TopicPartition;
import io.tributary.common.record.CompressionType;
import io.tributary.common.record.Header;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Per-partition queues of batches between the sending threads and the network thread.
 *
 * <p>Ordering: a partition has at most one produce request in flight; a failed request's batches go
 * back to the head of their queue in order, so records of a partition are written in the order
 * {@code send()} accepted them, however many retries happen.
 *
 * <p>Thread-safety: each queue is guarded by its own monitor; appends from many threads and the
 * network thread's drains only contend per partition.
 */
public final class RecordAccumulator {

    private final int batchSizeBytes;
    private final long lingerMs;
    private final int maxRequestBytes;
    private final CompressionType compression;
    private final BufferBudget budget;
    private final Map<TopicPartition, PartitionQueue> queues = new ConcurrentHashMap<>();
    private final Set<ProducerBatch> incomplete = ConcurrentHashMap.newKeySet();
    private final AtomicInteger flushesInProgress = new AtomicInteger();
    private volatile boolean closing;

    private static final class PartitionQueue {
        final ArrayDeque<ProducerBatch> batches = new ArrayDeque<>();
        boolean inFlight;
    }

    /** What an append did: the record's future, and whether the network thread should look now. */
    public record AppendResult(CompletableFuture<RecordMetadata> future, boolean wakeSender) {
    }

    /**
     * Partitions ready to send, by leader.
     *
     * @param byLeader           ready partitions grouped by their leader
     * @param unknownLeaders     whether some partition with data has no known leader (metadata is stale)
     * @param nextCheckDelayMs   when a partition not ready now may become ready (linger or backoff)
     */
    public record Readiness(Map<Node, List<TopicPartition>> byLeader, boolean unknownLeaders, long nextCheckDelayMs) {
    }

    public RecordAccumulator(int batchSizeBytes, long lingerMs, int maxRequestBytes, CompressionType compression,
                             BufferBudget budget) {
        this.batchSizeBytes = batchSizeBytes;
        this.lingerMs = lingerMs;
        this.maxRequestBytes = maxRequestBytes;
        this.compression = compression;
        this.budget = budget;
    }

    /**
     * Adds a record to the partition's open batch, or to a new one, reserving buffer memory for a
     * new batch (which may block up to {@code maxBlockMs}).
     */
    public AppendResult append(TopicPartition tp, long timestamp, byte[] key, byte[] value, List<Header> headers,
                               Callback callback, long maxBlockMs, long nowMs) {
        PartitionQueue queue = queues.computeIfAbsent(tp, ignored -> new PartitionQueue());
        synchronized (queue) {
            CompletableFuture<RecordMetadata> future = tryAppendLast(queue, timestamp, key, value, headers, callback);
            if (future != null) {
                return new AppendResult(future, queue.batches.size() > 1 || queue.batches.peekLast().isFull(batchSizeBytes));
            }
        }
        // A batch.size larger than buffer.memory must not make every batch wait for memory that cannot exist.
        int reserved = (int) Math.max(Math.min(batchSizeBytes, budget.totalBytes()),
                ProducerBatch.estimateBatchBytes(key, value, headers));
        budget.reserve(reserved, maxBlockMs);
        synchronized (queue) {
            CompletableFuture<RecordMetadata> future;
            try {
                future = tryAppendLast(queue, timestamp, key, value, headers, callback);
            } catch (RuntimeException e) {
                budget.release(reserved);
                throw e;
            }
            if (future != null) {
                budget.release(reserved);
                return new AppendResult(future, true);
            }
            ProducerBatch last = queue.batches.peekLast();
            if (last != null) {
                last.close();
            }
            ProducerBatch batch = new ProducerBatch(tp, compression, nowMs, reserved, budget.allocate(reserved));
            future = batch.tryAppend(timestamp, key, value, headers, callback, batchSizeBytes);
            queue.batches.addLast(batch);
            incomplete.add(batch);
            return new AppendResult(future, true);
        }
    }

    private CompletableFuture<RecordMetadata> tryAppendLast(PartitionQueue queue, long timestamp, byte[] key,
                                                            byte[] value, List<Header> headers, Callback callback) {
        if (closing) {
            throw new IllegalStateException("cannot send after the producer is closed");
        }
        ProducerBatch last = queue.batches.peekLast();
        return last == null ? null : last.tryAppend(timestamp, key, value, headers, callback, batchSizeBytes);
    }

    /** Finds the partitions whose head batch may be sent now and whose leader is known. */
    public Readiness ready(ClusterView view, long nowMs) {
        Map<Node, List<TopicPartition>> byLeader = new HashMap<>();
        boolean unknownLeaders = false;
        long nextCheckDelayMs = Long.MAX_VALUE;
        boolean sendNow = closing || flushesInProgress.get() > 0 || budget.hasWaiters();
        for (Map.Entry<TopicPartition, PartitionQueue> entry : queues.entrySet()) {
            PartitionQueue queue = entry.getValue();
            synchronized (queue) {
                ProducerBatch head = queue.batches.peekFirst();
                if (head == null || queue.inFlight) {
                    continue;
                }
                Node leader = view.leaderFor(entry.getKey());
                if (leader == null) {
                    unknownLeaders = true;
                    continue;
                }
                long backoffLeftMs = head.retryNotBeforeMs() - nowMs;
                long lingerLeftMs = head.createdMs() + lingerMs - nowMs;
                boolean full = queue.batches.size() > 1 || head.isFull(batchSizeBytes);
                if (backoffLeftMs > 0) {
                    nextCheckDelayMs = Math.min(nextCheckDelayMs, backoffLeftMs);
                } else if (full || sendNow || lingerLeftMs <= 0 || head.attempts() > 0) {
                    byLeader.computeIfAbsent(leader, ignored -> new ArrayList<>()).add(entry.getKey());
                } else {
                    nextCheckDelayMs = Math.min(nextCheckDelayMs, lingerLeftMs);
                }
            }
        }
        return new Readiness(byLeader, unknownLeaders, nextCheckDelayMs);
    }

    /**
     * Takes the batches to send to one leader: for each ready partition (in turn, as long as the
     * request stays within {@code max.request.size}) its queued batches from the head, and marks the
     * partition in flight. The first partition is always taken, so an oversized batch still goes.
     * A batch that cannot be built (a codec failure) leaves the queue through {@code unbuildable}
     * instead of stranding the partitions drained before it.
     */
    public Map<TopicPartition, List<ProducerBatch>> drain(List<TopicPartition> ready, long nowMs,
                                                         BiConsumer<ProducerBatch, RuntimeException> unbuildable) {
        Map<TopicPartition, List<ProducerBatch>> drained = new LinkedHashMap<>();
        int requestBytes = 0;
        for (TopicPartition tp : ready) {
            PartitionQueue queue = queues.get(tp);
            synchronized (queue) {
                if (queue.inFlight) {
                    continue;
                }
                List<ProducerBatch> taken = new ArrayList<>();
                Iterator<ProducerBatch> it = queue.batches.iterator();
                while (it.hasNext()) {
                    ProducerBatch batch = it.next();
                    if (batch.retryNotBeforeMs() > nowMs) {
                        break;
                    }
                    batch.close();
                    int size;
                    try {
                        size = batch.bytes().remaining();
                    } catch (RuntimeException e) {
                        it.remove();
                        unbuildable.accept(batch, e);
                        continue;
                    }
                    if (requestBytes > 0 && requestBytes + size > maxRequestBytes) {
                        break;
                    }
                    requestBytes += size;
                    taken.add(batch);
                    it.remove();
                }
                if (!taken.isEmpty()) {
                    queue.inFlight = true;
                    drained.put(tp, taken);
                }
            }
            if (requestBytes >= maxRequestBytes) {
                break;
            }
        }
        return drained;
    }

    /** The partition's request was answered (or failed); its next batches may be sent. */
    public void unmute(TopicPartition tp) {
        PartitionQueue queue = queues.get(tp);
        synchronized (queue) {
            queue.inFlight = false;
        }
    }

    /** Puts batches of a failed request back at the head of their queue, in their original order. */
    public void reenqueue(TopicPartition tp, List<ProducerBatch> batches) {
        PartitionQueue queue = queues.get(tp);
        synchronized (queue) {
            for (int i = batches.size() - 1; i >= 0; i--) {
                queue.batches.addFirst(batches.get(i));
            }
            queue.inFlight = false;
        }
    }

    /** Removes and returns queued (not in-flight) batches created {@code deliveryTimeoutMs} or more ago. */
    public List<ProducerBatch> expire(long deliveryTimeoutMs, long nowMs) {
        List<ProducerBatch> expired = new ArrayList<>();
        for (PartitionQueue queue : queues.values()) {
            synchronized (queue) {
                if (queue.inFlight) {
                    continue;
                }
                Iterator<ProducerBatch> it = queue.batches.iterator();
                while (it.hasNext()) {
                    ProducerBatch batch = it.next();
                    if (nowMs - batch.createdMs() < deliveryTimeoutMs) {
                        break;
                    }
                    batch.close();
                    expired.add(batch);
                    it.remove();
                }
            }
        }
        return expired;
    }

    /** Removes and returns every queued batch (forced close). */
    public List<ProducerBatch> drainAll() {
        List<ProducerBatch> all = new ArrayList<>();
        for (PartitionQueue queue : queues.values()) {
            synchronized (queue) {
                all.addAll(queue.batches);
                queue.batches.clear();
            }
        }
        return all;
    }

    /**
     * Releases a completed batch's memory and forgets it; {@code recycleBuffer} when the broker has
     * answered its request, so nothing reads the batch's bytes any more.
     */
    public void deallocate(ProducerBatch batch, boolean recycleBuffer) {
        if (incomplete.remove(batch)) {
            budget.release(batch.reservedBytes());
            if (recycleBuffer) {
                budget.recycle(batch.initialBuffer());
            }
        }
    }

    /** Whether any batch is queued or in flight. */
    public boolean hasIncomplete() {
        return !incomplete.isEmpty();
    }

    /** Starts a flush: every batch counts as ready until {@link #endFlush()}. Returns what to wait for. */
    public List<CompletableFuture<Void>> beginFlush() {
        flushesInProgress.incrementAndGet();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (ProducerBatch batch : incomplete) {
            pending.add(batch.completion());
        }
        return pending;
    }

    public void endFlush() {
        flushesInProgress.decrementAndGet();
    }

    /** No more appends; everything queued counts as ready. */
    public void beginClosing() {
        closing = true;
    }
}
