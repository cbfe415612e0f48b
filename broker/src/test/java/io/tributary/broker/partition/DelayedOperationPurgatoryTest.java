package io.tributary.broker.partition;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.common.TopicPartition;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DelayedOperationPurgatoryTest {

    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);
    private static final TopicPartition C = new TopicPartition("t", 2);

    /** Satisfied once {@code ready} is set; records how it completed. */
    private static final class Waiter extends DelayedOperation {
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicInteger completions = new AtomicInteger();
        volatile Boolean expired;

        @Override
        protected boolean isSatisfied() {
            return ready.get();
        }

        @Override
        protected void onComplete(boolean expired) {
            this.expired = expired;
            completions.incrementAndGet();
        }
    }

    @Test
    void anEventOnOneKeyCompletesTheOperationAndUnwatchesItFromEveryKey() {
        try (DelayedOperationPurgatory purgatory = new DelayedOperationPurgatory("test")) {
            Waiter waiter = new Waiter();
            purgatory.tryCompleteElseWatch(waiter, List.of(A, B, C), 60_000);
            assertEquals(3, purgatory.watched());
            waiter.ready.set(true);
            purgatory.checkAndComplete(B);
            await().atMost(10, TimeUnit.SECONDS).until(() -> waiter.completions.get() == 1);
            assertFalse(waiter.expired);
            await().atMost(10, TimeUnit.SECONDS).until(() -> purgatory.watched() == 0);
        }
    }

    @Test
    void theDeadlineCompletesAnUnsatisfiedOperationOnceAndCleansUp() {
        try (DelayedOperationPurgatory purgatory = new DelayedOperationPurgatory("test")) {
            Waiter waiter = new Waiter();
            purgatory.tryCompleteElseWatch(waiter, List.of(A, B), 50);
            await().atMost(10, TimeUnit.SECONDS).until(() -> waiter.completions.get() == 1);
            assertTrue(waiter.expired);
            await().atMost(10, TimeUnit.SECONDS).until(() -> purgatory.watched() == 0);
            waiter.ready.set(true);
            purgatory.checkAndComplete(A);
            assertEquals(1, waiter.completions.get(), "an operation completes exactly once");
        }
    }

    @Test
    void manyConcurrentWatchersAndEventsNeverLoseAWakeUp() throws Exception {
        try (DelayedOperationPurgatory purgatory = new DelayedOperationPurgatory("test")) {
            List<Waiter> waiters = new java.util.ArrayList<>();
            Thread events = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    purgatory.checkAndComplete(A);
                }
            });
            events.start();
            for (int i = 0; i < 2_000; i++) {
                Waiter waiter = new Waiter();
                waiters.add(waiter);
                purgatory.tryCompleteElseWatch(waiter, List.of(A), 600_000);
            }
            events.join();
            waiters.forEach(w -> w.ready.set(true));
            purgatory.checkAndComplete(A);
            await().atMost(30, TimeUnit.SECONDS).until(() -> waiters.stream().allMatch(w -> w.completions.get() == 1));
            assertTrue(waiters.stream().noneMatch(w -> w.expired));
            await().atMost(10, TimeUnit.SECONDS).until(() -> purgatory.watched() == 0);
        }
    }

    @Test
    void closingExpiresWaitersAndLaterOperationsCompleteAtOnce() {
        DelayedOperationPurgatory purgatory = new DelayedOperationPurgatory("test");
        Waiter waiting = new Waiter();
        purgatory.tryCompleteElseWatch(waiting, List.of(A), 600_000);
        purgatory.close();
        assertTrue(waiting.expired);
        Waiter late = new Waiter();
        purgatory.tryCompleteElseWatch(late, List.of(A), 600_000);
        assertEquals(1, late.completions.get());
        assertTrue(late.expired);
    }
}
