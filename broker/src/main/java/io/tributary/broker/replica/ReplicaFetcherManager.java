package io.tributary.broker.replica;

import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaRoles;
import io.tributary.common.Time;
import io.tributary.common.TopicPartition;
import io.tributary.proto.controller.v1.IsrChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * This node's replication roles: one {@link ReplicaFetcher} per leader broker it follows
 * partitions of (started on the first such partition, stopped when it has none left), and the
 * sender of its leaders' ISR changes. Thread-safe; calls return at once (a fetcher being stopped
 * finishes applying its current answer on its own thread; only {@link #close} waits for them).
 */
public final class ReplicaFetcherManager implements ReplicaRoles, AutoCloseable {

    private final int localId;
    private final ReplicaLinks links;
    private final LongSupplier brokerEpoch;
    private final ReplicaFetchSettings settings;
    private final IsrChangeSender isrChanges;
    private final Time time;
    private final Map<Integer, ReplicaFetcher> fetchers = new HashMap<>();
    private final Map<TopicPartition, Integer> leaderOf = new HashMap<>();
    private boolean closed;

    public ReplicaFetcherManager(int localId, ReplicaLinks links, LongSupplier brokerEpoch,
                                 ReplicaFetchSettings settings, IsrChangeSender isrChanges, Time time) {
        this.localId = localId;
        this.links = links;
        this.brokerEpoch = brokerEpoch;
        this.settings = settings;
        this.isrChanges = isrChanges;
        this.time = time;
    }

    @Override
    public void follow(Partition partition, int leaderId, int leaderEpoch) {
        ReplicaFetcher idle = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            TopicPartition tp = partition.topicPartition();
            Integer previous = leaderOf.put(tp, leaderId);
            if (previous != null && previous != leaderId) {
                idle = detach(tp, previous);
            }
            fetchers.computeIfAbsent(leaderId, this::startFetcher).follow(partition, leaderEpoch);
        }
        if (idle != null) {
            idle.initiateShutdown();
        }
    }

    @Override
    public void unfollow(TopicPartition tp) {
        ReplicaFetcher idle;
        synchronized (this) {
            Integer leader = leaderOf.remove(tp);
            idle = leader == null ? null : detach(tp, leader);
        }
        if (idle != null) {
            idle.initiateShutdown();
        }
    }

    /** Removes {@code tp} from the fetcher of {@code leaderId}; returns that fetcher if it became idle. */
    private ReplicaFetcher detach(TopicPartition tp, int leaderId) {
        ReplicaFetcher fetcher = fetchers.get(leaderId);
        if (fetcher == null) {
            return null;
        }
        fetcher.unfollow(tp);
        if (fetcher.isIdle()) {
            fetchers.remove(leaderId);
            return fetcher;
        }
        return null;
    }

    private ReplicaFetcher startFetcher(int leaderId) {
        ReplicaFetcher fetcher = new ReplicaFetcher(localId, leaderId, links, brokerEpoch, settings, time);
        fetcher.start();
        return fetcher;
    }

    @Override
    public void submitIsrChange(Partition partition, IsrChange change) {
        isrChanges.submitIsrChange(partition, change);
    }

    /** Stops every fetcher and waits for them. */
    @Override
    public void close() {
        List<ReplicaFetcher> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(fetchers.values());
            fetchers.clear();
            leaderOf.clear();
        }
        all.forEach(ReplicaFetcher::shutdown);
    }
}
