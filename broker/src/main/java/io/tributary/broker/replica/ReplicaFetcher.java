package io.tributary.broker.replica;

import io.tributary.broker.partition.Partition;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.StorageException;
import io.tributary.proto.replica.v1.PartitionRef;
import io.tributary.proto.replica.v1.ReplicaFetchPartition;
import io.tributary.proto.replica.v1.ReplicaFetchRequest;
import io.tributary.proto.replica.v1.ReplicaFetchResponse;
import io.tributary.proto.replica.v1.ReplicaPartitionData;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.storage.Log;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches every partition this node follows from one leader broker, over one Replicate stream
 * (see replica_service.proto): send a request with the partitions whose fetch state changed, wait
 * for the one answer, append / truncate / take the high watermark, fsync what was appended (with
 * log.flush.on.commit, so the next request reports it durable), repeat. A failed or silent stream
 * is reopened after a backoff, with every partition's full state.
 *
 * <p>Threading: one thread of its own runs the loop; {@link #follow} and {@link #unfollow} may be
 * called from any thread (guarded by {@code this}).
 */
final class ReplicaFetcher {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);

    /** This node's fetch state for one partition. */
    private static final class FetchState {
        final Partition partition;
        int leaderEpoch;
        /** The leader epoch of the state last sent: answers are applied under it. */
        int sentEpoch;
        boolean inSession;
        boolean dirty = true;
        long retryAtMs;
        /** The log start offset last reported to the leader (which waits for it in DeleteRecords). */
        long sentLogStartOffset = -1;

        FetchState(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
        }
    }

    private record Answer(long generation, ReplicaFetchResponse response) {
    }

    private record Closed(long generation, Throwable error) {
    }

    private final int localId;
    private final int leaderId;
    private final ReplicaLinks links;
    private final LongSupplier brokerEpoch;
    private final ReplicaFetchSettings settings;
    private final Time time;
    private final Map<TopicPartition, FetchState> states = new HashMap<>();
    private final Set<TopicPartition> removals = new LinkedHashSet<>();
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private ReplicaLinks.Stream stream;
    private long generation;
    /** Partitions whose log start offset moved and is not checkpointed yet: nothing is sent until it is. */
    private final List<FetchState> unpersisted = new ArrayList<>();

    ReplicaFetcher(int localId, int leaderId, ReplicaLinks links, LongSupplier brokerEpoch,
                   ReplicaFetchSettings settings, Time time) {
        this.localId = localId;
        this.leaderId = leaderId;
        this.links = links;
        this.brokerEpoch = brokerEpoch;
        this.settings = settings;
        this.time = time;
        this.thread = new Thread(this::runLogged, "replica-fetcher-" + localId + "-from-" + leaderId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void runLogged() {
        try {
            run();
        } catch (Error e) {
            log.error("Replica fetcher {} <- {} stopped: its partitions fall out of the ISR", localId, leaderId, e);
            throw e;
        }
    }

    /** Fetch {@code partition} at {@code leaderEpoch} (a new epoch re-sends its full state). */
    synchronized void follow(Partition partition, int leaderEpoch) {
        TopicPartition tp = partition.topicPartition();
        removals.remove(tp);
        FetchState state = states.get(tp);
        if (state == null || state.partition != partition) {
            states.put(tp, new FetchState(partition, leaderEpoch));
        } else if (state.leaderEpoch != leaderEpoch) {
            state.leaderEpoch = leaderEpoch;
            state.dirty = true;
            state.retryAtMs = 0;
        }
    }

    synchronized void unfollow(TopicPartition tp) {
        FetchState removed = states.remove(tp);
        if (removed != null && removed.inSession) {
            removals.add(tp);
        }
    }

    synchronized boolean isIdle() {
        return states.isEmpty();
    }

    private void run() {
        while (running) {
            try {
                persistLogStartOffsets();
                if (stream == null) {
                    openStream();
                }
                stream.send(nextRequest());
                ReplicaFetchResponse answer = awaitAnswer();
                if (answer == null) {
                    resetStream();
                    backOff();
                } else {
                    apply(answer);
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Replica fetcher {} <- {}: {}; retrying in {} ms", localId, leaderId, e.getMessage(),
                            settings.backoffMs());
                }
                resetStream();
                backOff();
            }
        }
        resetStream();
    }

    private void openStream() {
        long streamGeneration = ++generation;
        synchronized (this) {
            removals.clear();
            for (FetchState state : states.values()) {
                state.inSession = false;
                state.dirty = true;
            }
        }
        stream = links.open(leaderId, new ReplicaLinks.Receiver() {
            @Override
            public void onAnswer(ReplicaFetchResponse response) {
                events.add(new Answer(streamGeneration, response));
            }

            @Override
            public void onClosed(Throwable error) {
                events.add(new Closed(streamGeneration, error));
            }
        });
    }

    private synchronized ReplicaFetchRequest nextRequest() {
        long nowMs = time.milliseconds();
        ReplicaFetchRequest.Builder request = ReplicaFetchRequest.newBuilder().setReplicaId(localId)
                .setBrokerEpoch(brokerEpoch.getAsLong()).setMaxWaitMs(settings.maxWaitMs())
                .setMaxBytes(settings.maxBytes());
        for (FetchState state : states.values()) {
            if ((state.dirty || !state.inSession) && nowMs >= state.retryAtMs) {
                Log partitionLog = state.partition.log();
                request.addPartitions(ReplicaFetchPartition.newBuilder()
                        .setTopic(state.partition.topicPartition().topic())
                        .setPartition(state.partition.topicPartition().partition())
                        .setCurrentLeaderEpoch(state.leaderEpoch).setFetchOffset(partitionLog.logEndOffset())
                        .setLastFetchedEpoch(partitionLog.latestEpoch().orElse(-1))
                        .setDurableOffset(partitionLog.recoveryPoint())
                        .setLogStartOffset(partitionLog.logStartOffset())
                        .setPartitionMaxBytes(settings.partitionMaxBytes())
                        .setTopicId(state.partition.topicId()));
                state.sentEpoch = state.leaderEpoch;
                state.sentLogStartOffset = partitionLog.logStartOffset();
                state.inSession = true;
                state.dirty = false;
            }
        }
        for (TopicPartition tp : removals) {
            request.addRemoved(PartitionRef.newBuilder().setTopic(tp.topic()).setPartition(tp.partition()));
        }
        removals.clear();
        return request.build();
    }

    /** The answer to the request just sent, or null when the stream ended or stayed silent too long. */
    private ReplicaFetchResponse awaitAnswer() {
        long deadlineMs = time.milliseconds() + settings.maxWaitMs() + settings.responseTimeoutMs();
        while (running) {
            long waitMs = deadlineMs - time.milliseconds();
            Object event = waitMs <= 0 ? null : poll(waitMs);
            if (event == null) {
                if (waitMs <= 0) {
                    log.warn("Replica fetcher {} <- {}: no answer within {} ms; reopening the stream", localId,
                            leaderId, settings.maxWaitMs() + settings.responseTimeoutMs());
                    return null;
                }
            } else if (event instanceof Answer answer && answer.generation() == generation) {
                return answer.response();
            } else if (event instanceof Closed closed && closed.generation() == generation) {
                log.info("Replica fetcher {} <- {}: stream ended ({})", localId, leaderId,
                        closed.error() == null ? "completed by the leader" : closed.error().getMessage());
                return null;
            }
        }
        return null;
    }

    private void apply(ReplicaFetchResponse answer) {
        List<Partition> appended = new ArrayList<>();
        List<FetchState> startMoved = new ArrayList<>();
        for (ReplicaPartitionData data : answer.getPartitionsList()) {
            FetchState state;
            synchronized (this) {
                state = states.get(new TopicPartition(data.getTopic(), data.getPartition()));
                if (state == null || !state.inSession || !state.partition.topicId().equals(data.getTopicId())) {
                    continue;
                }
            }
            applyOne(state, data, appended);
            if (state.partition.logStartOffset() != state.sentLogStartOffset) {
                startMoved.add(state);
            }
        }
        for (Partition partition : appended) {
            if (partition.flushOnCommit()) {
                flushQuietly(partition);
            }
        }
        unpersisted.addAll(startMoved);
        persistLogStartOffsets();
    }

    /**
     * Makes new log start offsets durable before the next request reports them to the leader (a
     * DeleteRecords answer waits for them). One call writes the checkpoints of the moved
     * partitions' directories; then each partition's own directory tells whether its checkpoint was written: a partition on
     * an offline directory goes offline and is no longer fetched, the others carry on. When the
     * checkpoint could not be written at all, or anything else failed, this throws: the loop backs
     * off and tries again before sending anything, so no unwritten log start offset is reported.
     */
    private void persistLogStartOffsets() {
        if (unpersisted.isEmpty()) {
            return;
        }
        unpersisted.getFirst().partition.persistLogStartOffsets(
                unpersisted.stream().map(state -> state.partition.topicPartition()).toList());
        for (FetchState state : unpersisted) {
            try {
                state.partition.checkLogOnline();
            } catch (StorageException e) {
                log.error("Log start offset of {} could not be checkpointed; no longer fetching it",
                        state.partition.topicPartition(), e);
                synchronized (this) {
                    if (states.get(state.partition.topicPartition()) == state) {
                        unfollow(state.partition.topicPartition());
                    }
                }
            }
        }
        unpersisted.clear();
    }

    private void applyOne(FetchState state, ReplicaPartitionData data, List<Partition> appended) {
        int epoch;
        synchronized (this) {
            epoch = state.sentEpoch;
        }
        ErrorCode code = data.getErrorCode();
        try {
            if (code == ErrorCode.ERROR_CODE_NONE || code == ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE) {
                FollowerApply.Outcome outcome = FollowerApply.apply(state.partition, epoch, data);
                if (outcome == FollowerApply.Outcome.APPENDED) {
                    appended.add(state.partition);
                }
                synchronized (this) {
                    state.dirty |= outcome != FollowerApply.Outcome.UNCHANGED
                            || state.partition.logStartOffset() != state.sentLogStartOffset;
                    state.inSession &= code == ErrorCode.ERROR_CODE_NONE;
                }
                return;
            }
            log.info("Replica fetcher {} <- {}: partition {} answered {}: {}; retrying in {} ms", localId, leaderId,
                    state.partition.topicPartition(), code, data.getErrorMessage(), settings.backoffMs());
            synchronized (this) {
                state.inSession = false;
                state.retryAtMs = time.milliseconds() + settings.backoffMs();
            }
        } catch (StorageException e) {
            log.error("Partition {} is offline; no longer fetching it", state.partition.topicPartition(), e);
            synchronized (this) {
                // Only this incarnation: the topic may have been recreated and followed again meanwhile.
                if (states.get(state.partition.topicPartition()) == state) {
                    unfollow(state.partition.topicPartition());
                }
            }
        } catch (RuntimeException e) {
            log.error("Replica fetcher {} <- {}: could not apply partition {} at fetch offset {}; refetching in {} ms",
                    localId, leaderId, state.partition.topicPartition(), state.partition.logEndOffset(),
                    settings.backoffMs(), e);
            synchronized (this) {
                // Out of the leader's session too, or it would answer again at once with the same data.
                if (state.inSession && states.get(state.partition.topicPartition()) == state) {
                    removals.add(state.partition.topicPartition());
                }
                state.inSession = false;
                state.retryAtMs = time.milliseconds() + settings.backoffMs();
            }
        }
    }

    private static void flushQuietly(Partition partition) {
        try {
            partition.flush();
        } catch (RuntimeException e) {
            log.error("Flush of follower partition {} failed; it is offline", partition.topicPartition(), e);
        }
    }

    private void resetStream() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    /** Waits {@code backoffMs}, or less when shut down. Stale stream events are dropped meanwhile. */
    private void backOff() {
        long deadlineMs = time.milliseconds() + settings.backoffMs();
        while (running) {
            long waitMs = deadlineMs - time.milliseconds();
            if (waitMs <= 0) {
                return;
            }
            poll(waitMs);
        }
    }

    private Object poll(long waitMs) {
        try {
            return events.poll(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        }
    }

    /** Asks the loop to stop; returns at once (an answer being applied is finished first). */
    void initiateShutdown() {
        running = false;
        events.add(new Closed(-1, null));
    }

    /** Stops the loop and waits for the thread. */
    void shutdown() {
        initiateShutdown();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
