package io.tributary.storage.testing;

import io.tributary.common.MockTime;
import io.tributary.storage.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on a {@link MockTime}: nothing runs until the test calls {@link #runDueTasks()}
 * or {@link #advance(long)}, and then tasks run on the calling thread, in due-time order. Deterministic.
 */
public final class MockScheduler implements Scheduler {

    private final MockTime time;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long sequence;
    private boolean closed;

    public MockScheduler(MockTime time) {
        this.time = time;
    }

    private final class Task implements Comparable<Task>, Cancellable {
        final String name;
        final Runnable body;
        final long periodMs;
        final long seq = sequence++;
        long dueMs;
        boolean cancelled;

        Task(String name, Runnable body, long dueMs, long periodMs) {
            this.name = name;
            this.body = body;
            this.dueMs = dueMs;
            this.periodMs = periodMs;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(dueMs, other.dueMs);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }

        @Override
        public void cancel() {
            synchronized (MockScheduler.this) {
                cancelled = true;
                queue.remove(this);
            }
        }

        @Override
        public String toString() {
            return name + "@" + dueMs;
        }
    }

    @Override
    public synchronized Cancellable schedule(String name, Runnable task, long delayMs) {
        return add(new Task(name, task, time.milliseconds() + delayMs, -1));
    }

    @Override
    public synchronized Cancellable schedulePeriodically(String name, Runnable task, long initialDelayMs,
            long periodMs) {
        return add(new Task(name, task, time.milliseconds() + initialDelayMs, periodMs));
    }

    private Task add(Task task) {
        if (!closed) {
            queue.add(task);
        }
        return task;
    }

    /** Runs every task due now, including tasks that due tasks schedule for now. Returns how many ran. */
    public int runDueTasks() {
        int ran = 0;
        Task task;
        while ((task = pollDue()) != null) {
            task.body.run();
            ran++;
            synchronized (this) {
                if (task.periodMs > 0 && !task.cancelled && !closed) {
                    task.dueMs += task.periodMs;
                    queue.add(task);
                }
            }
        }
        return ran;
    }

    /** Moves the clock forward by {@code deltaMs}, stopping at each due time to run the tasks due then. */
    public void advance(long deltaMs) {
        long targetMs = time.milliseconds() + deltaMs;
        runDueTasks();
        while (true) {
            Long nextDue = nextDueMs();
            if (nextDue == null || nextDue > targetMs) {
                break;
            }
            time.sleep(nextDue - time.milliseconds());
            runDueTasks();
        }
        time.sleep(targetMs - time.milliseconds());
        runDueTasks();
    }

    /** Names of the pending tasks, soonest first. */
    public synchronized List<String> pendingTasks() {
        List<Task> tasks = new ArrayList<>(queue);
        tasks.sort(null);
        return tasks.stream().map(t -> t.name).toList();
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }

    private synchronized Task pollDue() {
        Task head = queue.peek();
        if (head == null || head.dueMs > time.milliseconds()) {
            return null;
        }
        return queue.poll();
    }

    private synchronized Long nextDueMs() {
        Task head = queue.peek();
        return head == null ? null : head.dueMs;
    }
}
