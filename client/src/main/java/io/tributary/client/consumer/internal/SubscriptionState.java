package io.tributary.client.consumer.internal;

import io.tributary.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the consumer reads: the assigned partitions, each with its position (the next offset to
 * return) and the leader epoch of the last record returned, a pending reset (from
 * {@code seekToBeginning/End}, a missing position or an out-of-range one), whether it waits for its
 * group's committed offset, and whether it is paused. Owned by the consumer's application thread;
 * not thread-safe.
 */
public final class SubscriptionState {

    /** How a partition without a usable position finds one. */
    public enum ResetStrategy { EARLIEST, LATEST, NONE }

    private static final class PartitionState {
        Long position;
        Optional<Integer> lastEpoch = Optional.empty();
        ResetStrategy pendingReset;
        boolean awaitingCommitted;
        boolean paused;
    }

    private final ResetStrategy defaultReset;
    private final Map<TopicPartition, PartitionState> assigned = new LinkedHashMap<>();

    public SubscriptionState(ResetStrategy defaultReset) {
        this.defaultReset = defaultReset;
    }

    /** Replaces the assignment; partitions kept keep their position and pause state. */
    public void assign(Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionState> next = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            next.put(tp, assigned.getOrDefault(tp, new PartitionState()));
        }
        assigned.clear();
        assigned.putAll(next);
    }

    public Set<TopicPartition> assignment() {
        return Set.copyOf(assigned.keySet());
    }

    public boolean isAssigned(TopicPartition tp) {
        return assigned.containsKey(tp);
    }

    /** Sets the next offset to return and cancels any pending reset or committed-offset lookup. */
    public void seek(TopicPartition tp, long offset) {
        PartitionState state = state(tp);
        state.position = offset;
        state.lastEpoch = Optional.empty();
        state.pendingReset = null;
        state.awaitingCommitted = false;
    }

    /**
     * Advances the position after records were returned (no-op for a partition no longer assigned).
     *
     * @param lastEpoch the leader epoch of the last record returned, when the records carried one
     */
    public void advance(TopicPartition tp, long nextOffset, Optional<Integer> lastEpoch) {
        PartitionState state = assigned.get(tp);
        if (state != null) {
            state.position = nextOffset;
            if (lastEpoch.isPresent()) {
                state.lastEpoch = lastEpoch;
            }
        }
    }

    /** Asks for a reset with {@code strategy}; the position is unknown until it completes. */
    public void requestReset(TopicPartition tp, ResetStrategy strategy) {
        PartitionState state = state(tp);
        state.pendingReset = strategy;
        state.position = null;
        state.lastEpoch = Optional.empty();
        state.awaitingCommitted = false;
    }

    /**
     * Marks a partition newly given by the group: its position is to come from the group's committed
     * offset (else auto.offset.reset), unless a seek decides first.
     */
    public void awaitCommitted(TopicPartition tp) {
        PartitionState state = state(tp);
        state.position = null;
        state.awaitingCommitted = true;
    }

    /** Partitions whose position waits for the group's committed offset, in assignment order. */
    public List<TopicPartition> partitionsAwaitingCommitted() {
        List<TopicPartition> awaiting = new ArrayList<>();
        assigned.forEach((tp, state) -> {
            if (state.awaitingCommitted) {
                awaiting.add(tp);
            }
        });
        return awaiting;
    }

    /**
     * Completes the committed-offset lookup of a partition still waiting for it: the position becomes
     * {@code committed}, or, when the group has none (null), the partition takes the default reset.
     */
    public void completeCommittedLookup(TopicPartition tp, OffsetAndEpoch committed) {
        PartitionState state = assigned.get(tp);
        if (state != null && state.awaitingCommitted) {
            state.awaitingCommitted = false;
            if (committed != null) {
                state.position = committed.offset();
                state.lastEpoch = committed.epoch();
            }
        }
    }

    /** A committed offset and the leader epoch stored with it. */
    public record OffsetAndEpoch(long offset, Optional<Integer> epoch) {
    }

    /** The position and last-record epoch of every assigned partition with a known position: what a commit records. */
    public Map<TopicPartition, OffsetAndEpoch> consumedPositions() {
        Map<TopicPartition, OffsetAndEpoch> positions = new LinkedHashMap<>();
        assigned.forEach((tp, state) -> {
            if (state.position != null) {
                positions.put(tp, new OffsetAndEpoch(state.position, state.lastEpoch));
            }
        });
        return positions;
    }

    /** Asks for the default ({@code auto.offset.reset}) reset. */
    public void requestDefaultReset(TopicPartition tp) {
        requestReset(tp, defaultReset);
    }

    public ResetStrategy defaultResetStrategy() {
        return defaultReset;
    }

    /** Partitions with no position, no explicit reset and no committed-offset lookup: they take the default reset. */
    public List<TopicPartition> partitionsWithoutPosition() {
        List<TopicPartition> missing = new ArrayList<>();
        assigned.forEach((tp, state) -> {
            if (state.position == null && state.pendingReset == null && !state.awaitingCommitted) {
                missing.add(tp);
            }
        });
        return missing;
    }

    /** Partitions waiting for a reset, with the strategy each waits for. */
    public Map<TopicPartition, ResetStrategy> pendingResets() {
        Map<TopicPartition, ResetStrategy> pending = new LinkedHashMap<>();
        assigned.forEach((tp, state) -> {
            if (state.pendingReset != null) {
                pending.put(tp, state.pendingReset);
            }
        });
        return pending;
    }

    /** Completes a reset if the partition still waits for that same strategy. */
    public void completeReset(TopicPartition tp, ResetStrategy strategy, long offset) {
        PartitionState state = assigned.get(tp);
        if (state != null && state.pendingReset == strategy) {
            state.position = offset;
            state.lastEpoch = Optional.empty();
            state.pendingReset = null;
        }
    }

    /** The position, or null when unknown. */
    public Long position(TopicPartition tp) {
        return state(tp).position;
    }

    /** Assigned, unpaused partitions with a known position, in assignment order. */
    public List<TopicPartition> fetchablePartitions() {
        List<TopicPartition> fetchable = new ArrayList<>();
        assigned.forEach((tp, state) -> {
            if (!state.paused && state.position != null) {
                fetchable.add(tp);
            }
        });
        return fetchable;
    }

    public boolean isFetchable(TopicPartition tp) {
        PartitionState state = assigned.get(tp);
        return state != null && !state.paused && state.position != null;
    }

    public void pause(TopicPartition tp) {
        state(tp).paused = true;
    }

    public void resume(TopicPartition tp) {
        state(tp).paused = false;
    }

    public Set<TopicPartition> paused() {
        Set<TopicPartition> paused = new LinkedHashSet<>();
        assigned.forEach((tp, state) -> {
            if (state.paused) {
                paused.add(tp);
            }
        });
        return paused;
    }

    private PartitionState state(TopicPartition tp) {
        PartitionState state = assigned.get(tp);
        if (state == null) {
            throw new IllegalStateException("no current assignment for partition " + tp);
        }
        return state;
    }
}
