package io.tributary.client.admin;

import java.util.List;
import java.util.OptionalLong;

/**
 * The metadata quorum as its leader (the active controller) sees it, as Kafka's {@code QuorumInfo}.
 *
 * @param leaderId      the leader's node id
 * @param leaderEpoch   the leader's epoch
 * @param highWatermark the commit point of the metadata log: offsets below it are committed
 * @param voters        every voter (controller), the leader included, by node id
 * @param observers     the observers (brokers) that fetched from the leader in its epoch, by node id
 */
public record QuorumInfo(int leaderId, long leaderEpoch, long highWatermark, List<ReplicaState> voters,
                         List<ReplicaState> observers) {

    public QuorumInfo {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
    }

    /**
     * One replica of the metadata log, as the leader tracks it. Timestamps are milliseconds since the
     * Unix epoch on the leader's clock.
     *
     * @param replicaId             the node id
     * @param logEndOffset          the end of its metadata log as it last reported it (the leader: its
     *                              own); -1 before its first fetch in the leader's epoch
     * @param lastFetchTimestamp    when it last fetched (the leader: the time of the answer); empty
     *                              before its first fetch in the leader's epoch
     * @param lastCaughtUpTimestamp the last time it had everything the leader had (Kafka's rule; the
     *                              leader: the time of the answer); empty when not in the leader's epoch
     */
    public record ReplicaState(int replicaId, long logEndOffset, OptionalLong lastFetchTimestamp,
                               OptionalLong lastCaughtUpTimestamp) {
    }
}
