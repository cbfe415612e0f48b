package io.tributary.client.consumer.group;

import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.StringDeserializer;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.WakeupException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A group member for tests: a consumer subscribed on its own thread (a consumer is used by one
 * thread), polling until closed, recording what its listener and polls see into an {@link OwnershipLog}.
 * It can be told to stop calling poll (to exceed max.poll.interval.ms) and to go on.
 */
final class GroupMember implements AutoCloseable {

    final String name;
    final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final TributaryConsumer<String, String> consumer;
    private final OwnershipLog log;
    private final Thread thread;
    private volatile boolean closing;
    private volatile CountDownLatch stalled;
    private volatile Consumer<TributaryConsumer<String, String>> onThread;

    GroupMember(String name, Map<String, Object> config, Collection<String> topics, OwnershipLog log) {
        this.name = name;
        this.log = log;
        this.consumer = new TributaryConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(() -> run(topics), "member-" + name);
        thread.start();
    }

    private void run(Collection<String> topics) {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    log.record(name, OwnershipLog.Kind.REVOKED, partitions);
                    owned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    log.record(name, OwnershipLog.Kind.ASSIGNED, partitions);
                    owned.addAll(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    log.record(name, OwnershipLog.Kind.LOST, partitions);
                    owned.removeAll(partitions);
                }
            });
            while (!closing) {
                awaitResume();
                runTask();
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        log.consumed(name, record);
                    }
                } catch (WakeupException e) {
                    // close() or stall(): look at the flags again.
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private void awaitResume() throws InterruptedException {
        CountDownLatch latch = stalled;
        if (latch != null) {
            latch.await();
        }
    }

    private void runTask() {
        Consumer<TributaryConsumer<String, String>> task = onThread;
        if (task != null) {
            onThread = null;
            task.accept(consumer);
        }
    }

    /** Stops calling poll() until {@link #resume()}. */
    void stall() {
        stalled = new CountDownLatch(1);
        consumer.wakeup();
    }

    void resume() {
        CountDownLatch latch = stalled;
        stalled = null;
        latch.countDown();
    }

    /** Runs {@code task} with the consumer on the member's thread before its next poll. */
    void onThread(Consumer<TributaryConsumer<String, String>> task) {
        onThread = task;
    }

    List<TopicPartition> ownedSorted() {
        return owned.stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
    }

    /** Closes the consumer on its thread (committing, revoking, leaving) and waits for it. */
    @Override
    public void close() {
        closing = true;
        CountDownLatch latch = stalled;
        if (latch != null) {
            latch.countDown();
        }
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw new AssertionError("member " + name + " failed", failure.get());
        }
    }
}
