package io.tributary.storage.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.storage.Scheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The production scheduler: delayed and periodic tasks, failures that do not stop a schedule, close. */
@Tag("unit")
class ExecutorSchedulerTest {

    @Test
    void runsTasksKeepsPeriodicSchedulesThroughFailuresAndDropsTasksAfterClose() {
        AtomicInteger once = new AtomicInteger();
        AtomicInteger periodic = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        Scheduler scheduler = Scheduler.threadPool("scheduler-test", 1);
        try (scheduler) {
            scheduler.schedule("once", once::incrementAndGet, 0);
            scheduler.schedulePeriodically("flaky", () -> {
                if (periodic.incrementAndGet() == 1) {
                    throw new IllegalStateException("the first run fails");
                }
            }, 0, 1);
            scheduler.schedule("cancelled", cancelled::incrementAndGet, 60_000).cancel();
            await().atMost(Duration.ofSeconds(10)).until(() -> once.get() == 1 && periodic.get() >= 3);
        }
        scheduler.schedule("late", once::incrementAndGet, 0).cancel();
        scheduler.close();
        assertEquals(1, once.get());
        assertEquals(0, cancelled.get());
    }
}
