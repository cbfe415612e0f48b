package io.tributary.tools.internal;

import io.tributary.client.admin.QuorumInfo;
import io.tributary.client.admin.QuorumInfo.ReplicaState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * What {@code metadata-quorum describe} derives from a {@link QuorumInfo}, computed as Kafka's
 * {@code kafka-metadata-quorum.sh} does. Stateless.
 */
public final class QuorumReport {

    /** One line of {@code --replication}: a replica, its lag behind the leader and its role. */
    public record Row(ReplicaState replica, long lag, String status) {
    }

    private QuorumReport() {
    }

    /** The leader's own entry among the voters. */
    public static ReplicaState leader(QuorumInfo quorum) {
        return quorum.voters().stream().filter(v -> v.replicaId() == quorum.leaderId()).findFirst()
                .orElseThrow(() -> new IllegalStateException("the quorum answer lists no leader among its voters"));
    }

    /** How far the furthest-behind voter's log end is below the high watermark. */
    public static long maxFollowerLag(QuorumInfo quorum) {
        return quorum.highWatermark() - furthestBehind(quorum).logEndOffset();
    }

    /**
     * How long ago, relative to the leader, the furthest-behind voter was last caught up: 0 when
     * that is the leader, -1 when either time is unknown.
     */
    public static long maxFollowerLagTimeMs(QuorumInfo quorum) {
        ReplicaState leader = leader(quorum);
        ReplicaState behind = furthestBehind(quorum);
        if (behind.replicaId() == leader.replicaId()) {
            return 0;
        }
        OptionalLong leaderCaughtUp = leader.lastCaughtUpTimestamp();
        OptionalLong behindCaughtUp = behind.lastCaughtUpTimestamp();
        return leaderCaughtUp.isPresent() && behindCaughtUp.isPresent()
                ? leaderCaughtUp.getAsLong() - behindCaughtUp.getAsLong() : -1;
    }

    private static ReplicaState furthestBehind(QuorumInfo quorum) {
        // Ties go to the leader, as in Kafka (it is listed first there).
        ReplicaState leader = leader(quorum);
        return quorum.voters().stream().filter(v -> v.replicaId() != leader.replicaId())
                .min(Comparator.comparingLong(ReplicaState::logEndOffset))
                .filter(v -> v.logEndOffset() < leader.logEndOffset()).orElse(leader);
    }

    /** The leader, then the other voters (Follower), then the observers (Observer), each with its lag behind the leader. */
    public static List<Row> rows(QuorumInfo quorum) {
        ReplicaState leader = leader(quorum);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(leader, 0, "Leader"));
        quorum.voters().stream().filter(v -> v.replicaId() != leader.replicaId())
                .forEach(v -> rows.add(new Row(v, leader.logEndOffset() - v.logEndOffset(), "Follower")));
        quorum.observers().forEach(o -> rows.add(new Row(o, leader.logEndOffset() - o.logEndOffset(), "Observer")));
        return rows;
    }
}
