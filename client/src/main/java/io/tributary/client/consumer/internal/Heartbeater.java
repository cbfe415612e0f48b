package io.tributary.client.consumer.internal;

import io.tributary.client.internal.GroupCoordinators;
import io.tributary.client.internal.GrpcErrors;
import io.tributary.common.Time;
import io.tributary.common.errors.TributaryException;
import io.tributary.proto.v1.ConsumerGroupHeartbeatResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's heartbeat thread: sends what {@link MembershipState} says is due to the group's
 * coordinator, one request at a time, and hands each answer back to it. It never touches the
 * consumer's partitions, so a slow application cannot delay heartbeats (and a stuck one is noticed:
 * {@link MembershipState#nextHeartbeat} leaves the group after max.poll.interval.ms without poll).
 */
final class Heartbeater {

    private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);

    private final MembershipState membership;
    private final GroupCoordinators coordinators;
    private final String groupId;
    private final Time time;
    private final Thread thread;
    private boolean signalled;
    private volatile boolean running = true;

    Heartbeater(MembershipState membership, GroupCoordinators coordinators, String groupId, Time time,
                String threadName) {
        this.membership = membership;
        this.coordinators = coordinators;
        this.groupId = groupId;
        this.time = time;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Makes the thread look at the membership again now; callable from any thread. */
    synchronized void wake() {
        signalled = true;
        notifyAll();
    }

    private void run() {
        while (running) {
            try {
                MembershipState.Outgoing outgoing = membership.nextHeartbeat(time.milliseconds());
                if (outgoing != null) {
                    send(outgoing);
                } else {
                    awaitSignal(membership.delayMs(time.milliseconds()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Unexpected failure in the heartbeat thread of group {}; it continues", groupId, e);
            }
        }
    }

    private synchronized void awaitSignal(long delayMs) throws InterruptedException {
        if (!signalled && running && delayMs > 0) {
            wait(delayMs == Long.MAX_VALUE ? 0 : delayMs);
        }
        signalled = false;
    }

    private void send(MembershipState.Outgoing outgoing) {
        ConsumerGroupHeartbeatResponse response;
        try {
            response = coordinators.stub(groupId).consumerGroupHeartbeat(outgoing.request());
        } catch (RuntimeException e) {
            TributaryException error = GrpcErrors.fromThrowable(e, "the coordinator of group '" + groupId + "'");
            // Unreachable, or FindCoordinator failed: find it again before the next attempt.
            coordinators.invalidate(groupId);
            membership.onHeartbeatFailure(outgoing, error, time.milliseconds());
            return;
        }
        if (GroupCoordinators.needsRediscovery(response.getErrorCode())) {
            coordinators.invalidate(groupId);
        }
        membership.onHeartbeatResponse(outgoing, response, time.milliseconds());
    }

    /** Stops the thread, waiting up to {@code timeoutMs} for a request in progress. */
    void close(long timeoutMs) {
        running = false;
        wake();
        try {
            thread.join(Math.max(1, timeoutMs));
            if (thread.isAlive()) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
