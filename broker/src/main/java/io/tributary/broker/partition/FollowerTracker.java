package io.tributary.broker.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a partition leader knows about its followers, and the decisions that follow from it: the
 * high watermark (the minimum over the ISR) and ISR changes (a follower that has not caught up for
 * {@code replica.lag.time.max.ms} leaves, a follower that reached the high watermark rejoins).
 *
 * <p>ISR changes go through the controller, so the tracker holds the committed ISR and at most one
 * proposed one. The high watermark is computed over the union of both (Kafka's "maximal ISR"): a
 * replica being removed still counts until the controller has committed its removal, and one being
 * added counts at once, so the high watermark never covers an offset some member of either ISR
 * lacks.
 *
 * <p>Pure: driven by calls carrying the time; not thread-safe (its {@link IsrState} guards it, under
 * the partition's state lock).
 */
final class FollowerTracker {

    /** A follower's last reported position; offsets are -1 until it has fetched from this leader. */
    private static final class FollowerState {
        long logEndOffset = -1;
        long durableOffset = -1;
        long lastCaughtUpTimeMs;
        long lastFetchTimeMs;
        long lastFetchLeaderLogEndOffset = -1;
        long logStartOffset = -1;

        FollowerState(long lastCaughtUpTimeMs) {
            this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
        }
    }

    private final int localId;
    private final Map<Integer, FollowerState> followers = new HashMap<>();
    private List<Integer> replicas;
    private List<Integer> isr;
    private int partitionEpoch;
    private List<Integer> proposedIsr;

    /**
     * @param nowMs when leadership started: ISR members get until {@code nowMs + lag} to fetch
     */
    FollowerTracker(int localId, List<Integer> replicas, List<Integer> isr, int partitionEpoch, long nowMs) {
        this.localId = localId;
        this.replicas = List.copyOf(replicas);
        this.isr = List.copyOf(isr);
        this.partitionEpoch = partitionEpoch;
        for (int replica : replicas) {
            if (replica != localId) {
                followers.put(replica, new FollowerState(nowMs));
            }
        }
    }

    /**
     * Records a fetch by {@code replicaId} at {@code fetchOffset} (its log end offset). Kafka's
     * caught-up rule: the follower is caught up now if it asked for the leader's current end, and
     * was caught up at its previous fetch if it has now reached what the leader's end was then.
     *
     * @return false when {@code replicaId} is not a follower of this partition
     */
    boolean recordFetch(int replicaId, long fetchOffset, long durableOffset, long leaderLogEndOffset, long nowMs) {
        FollowerState state = followers.get(replicaId);
        if (state == null) {
            return false;
        }
        if (fetchOffset >= leaderLogEndOffset) {
            state.lastCaughtUpTimeMs = Math.max(state.lastCaughtUpTimeMs, nowMs);
        } else if (fetchOffset >= state.lastFetchLeaderLogEndOffset && state.lastFetchLeaderLogEndOffset >= 0) {
            state.lastCaughtUpTimeMs = Math.max(state.lastCaughtUpTimeMs, state.lastFetchTimeMs);
        }
        state.logEndOffset = fetchOffset;
        state.durableOffset = Math.min(durableOffset, fetchOffset);
        state.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        state.lastFetchTimeMs = nowMs;
        return true;
    }

    /**
     * The highest offset every member of the maximal ISR holds: the leader's own {@code localOffset}
     * and each follower's log end offset, or its fsynced offset when {@code durable}. A member that
     * has not fetched yet holds nothing known (-1).
     */
    long highWatermarkCandidate(long localOffset, boolean durable) {
        long candidate = localOffset;
        for (int member : maximalIsr()) {
            FollowerState state = followers.get(member);
            if (state != null) {
                candidate = Math.min(candidate, durable ? state.durableOffset : state.logEndOffset);
            }
        }
        return candidate;
    }

    /**
     * Whether {@code logStartOffset} differs from the one {@code replicaId} last reported (false for
     * a non-follower): only then can recording it move the low watermark.
     */
    boolean isNewLogStartOffset(int replicaId, long logStartOffset) {
        FollowerState state = followers.get(replicaId);
        return state != null && state.logStartOffset != logStartOffset;
    }

    /**
     * Records the log start offset {@code replicaId} last reported; ignored for a non-follower.
     *
     * @return whether it differs from the one recorded before
     */
    boolean recordLogStartOffset(int replicaId, long logStartOffset) {
        FollowerState state = followers.get(replicaId);
        if (state == null || state.logStartOffset == logStartOffset) {
            return false;
        }
        state.logStartOffset = logStartOffset;
        return true;
    }

    /**
     * DeleteRecords' low watermark: the lowest log start offset over the leader's own
     * ({@code localLogStartOffset}) and each member of the maximal ISR as it last reported it (-1
     * while a member has not reported one to this leader).
     */
    long lowWatermark(long localLogStartOffset) {
        // Both lists rather than maximalIsr(): a member in both counts twice, harmlessly, and no
        // set is built for what a follower fetch reporting a new log start offset asks (twice).
        long low = lowestLogStartOffset(isr, localLogStartOffset);
        return proposedIsr == null ? low : lowestLogStartOffset(proposedIsr, low);
    }

    private long lowestLogStartOffset(List<Integer> members, long low) {
        for (int member : members) {
            FollowerState state = followers.get(member);
            if (state != null) {
                low = Math.min(low, state.logStartOffset);
            }
        }
        return low;
    }

    /**
     * The ISR with {@code replicaId} added, if that follower is outside it and has caught up: it
     * holds everything up to the high watermark (fsynced, when {@code durable}) and everything of the
     * current leader epoch up to it, so it could lead without losing a committed record, and its
     * reported log start offset is at least {@code leaderLogStartOffset}, so it could lead without
     * bringing back records a DeleteRecords already deleted (an answered deletion counted only the
     * members of its time). Empty while a change is pending.
     *
     * <p>Only the replica that just fetched is considered, as in Kafka: the caller checked that one
     * is eligible (its broker active). Another follower's last position may be that of a broker that
     * has since stopped or been fenced; proposing it would be refused by the controller, and then
     * proposed again at every fetch for as long as the high watermark stays where it stopped.
     */
    Optional<List<Integer>> expansion(int replicaId, long highWatermark, long leaderEpochStartOffset,
                                      long leaderLogStartOffset, boolean durable) {
        FollowerState state = followers.get(replicaId);
        if (proposedIsr != null || state == null || isr.contains(replicaId)) {
            return Optional.empty();
        }
        long held = durable ? state.durableOffset : state.logEndOffset;
        if (held < highWatermark || state.logEndOffset < leaderEpochStartOffset
                || state.logStartOffset < leaderLogStartOffset) {
            return Optional.empty();
        }
        List<Integer> expanded = new ArrayList<>(isr);
        expanded.add(replicaId);
        return Optional.of(expanded);
    }

    /**
     * The ISR without the followers that have not caught up within {@code lagTimeMaxMs}. Empty while
     * a change is pending or when every member is caught up.
     */
    Optional<List<Integer>> shrink(long nowMs, long lagTimeMaxMs) {
        if (proposedIsr != null) {
            return Optional.empty();
        }
        List<Integer> kept = new ArrayList<>();
        for (int member : isr) {
            FollowerState state = followers.get(member);
            if (state == null || nowMs - state.lastCaughtUpTimeMs <= lagTimeMaxMs) {
                kept.add(member);
            }
        }
        return kept.size() == isr.size() ? Optional.empty() : Optional.of(kept);
    }

    /** The followers {@link #shrink} would remove, with how long each has lagged; for the log line. */
    String lagDescription(List<Integer> removed, long nowMs) {
        StringBuilder text = new StringBuilder();
        for (int replica : removed) {
            FollowerState state = followers.get(replica);
            if (state != null) {
                text.append(text.isEmpty() ? "" : ", ").append("replica ").append(replica).append(" at offset ")
                        .append(state.logEndOffset).append(", caught up ").append(nowMs - state.lastCaughtUpTimeMs)
                        .append(" ms ago");
            }
        }
        return text.toString();
    }

    void propose(List<Integer> newIsr) {
        proposedIsr = List.copyOf(newIsr);
    }

    /** The proposal failed or was overtaken; later events may propose again. */
    void clearProposal() {
        proposedIsr = null;
    }

    /** The ISR proposed to the controller and not yet answered, if any. */
    Optional<List<Integer>> proposal() {
        return Optional.ofNullable(proposedIsr);
    }

    /**
     * A newer partition state (committed by the controller) replaces the current one; an older or
     * equal epoch is ignored (the image and the AlterPartition answer both report each change).
     * New replicas get a fresh follower state; removed ones are forgotten.
     */
    boolean applyCommitted(List<Integer> newReplicas, List<Integer> newIsr, int newPartitionEpoch, long nowMs) {
        if (newPartitionEpoch <= partitionEpoch) {
            return false;
        }
        for (int replica : newReplicas) {
            if (replica != localId) {
                followers.computeIfAbsent(replica, r -> new FollowerState(nowMs));
            }
        }
        followers.keySet().retainAll(newReplicas);
        replicas = List.copyOf(newReplicas);
        isr = List.copyOf(newIsr);
        partitionEpoch = newPartitionEpoch;
        proposedIsr = null;
        return true;
    }

    List<Integer> isr() {
        return isr;
    }

    List<Integer> replicas() {
        return replicas;
    }

    int partitionEpoch() {
        return partitionEpoch;
    }

    private Set<Integer> maximalIsr() {
        Set<Integer> members = new LinkedHashSet<>(isr);
        if (proposedIsr != null) {
            members.addAll(proposedIsr);
        }
        return members;
    }
}
