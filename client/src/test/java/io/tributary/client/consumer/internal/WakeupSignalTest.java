package io.tributary.client.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.common.errors.CommitFailedException;
import io.tributary.common.errors.TimeoutException;
import io.tributary.common.errors.WakeupException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** wakeup(): what a wait for background work does with it. */
@Tag("unit")
class WakeupSignalTest {

    private final WakeupSignal signal = new WakeupSignal();

    @Test
    void aWakeupEndsAWaitOnceAndIsThenConsumed() {
        CompletableFuture<String> never = new CompletableFuture<>();
        signal.wakeup();
        assertThrows(WakeupException.class, () -> signal.await(never, 0, Long.MAX_VALUE, "waiting"));
        assertDoesNotThrow(signal::maybeThrow);
        assertEquals("done", signal.await(CompletableFuture.completedFuture("done"), 0, 10, "waiting"));
    }

    @Test
    void waitsThatAWakeupMustNotCutShortLeaveItPending() {
        signal.wakeup();
        assertEquals("left", signal.awaitKeepingWakeup(CompletableFuture.completedFuture("left"), 0, 10, "leaving"));
        assertThrows(WakeupException.class, signal::maybeThrow);
    }

    @Test
    void timeoutsAndFailuresOfTheAwaitedWork() {
        CompletableFuture<String> never = new CompletableFuture<>();
        long nowMs = System.currentTimeMillis();
        TimeoutException timeout = assertThrows(TimeoutException.class,
                () -> signal.await(never, nowMs, nowMs + 20, "committing offsets"));
        assertEquals("committing offsets timed out after 20 ms", timeout.getMessage());
        assertThrows(TimeoutException.class, () -> signal.awaitKeepingWakeup(never, nowMs, nowMs + 20, "leaving"));
        CommitFailedException failure = new CommitFailedException("fenced");
        assertSame(failure, assertThrows(CommitFailedException.class,
                () -> signal.await(CompletableFuture.failedFuture(failure), 0, Long.MAX_VALUE, "committing")));
        assertSame(failure, assertThrows(CommitFailedException.class,
                () -> signal.awaitKeepingWakeup(CompletableFuture.failedFuture(failure), 0, 10, "committing")));
    }

    @Test
    void closeIgnoresWakeups() {
        signal.wakeup();
        signal.disable();
        signal.wakeup();
        assertDoesNotThrow(signal::maybeThrow);
    }
}
