package io.tributary.broker.partition;

import io.tributary.common.TopicPartition;
import io.tributary.proto.controller.v1.IsrChange;

/**
 * What the partition manager needs from replication when partition roles change: followers fetch
 * from their leader, and leaders send ISR changes to the controller. Implemented by the replica
 * fetchers and the AlterPartition sender; calls return at once.
 */
public interface ReplicaRoles {

    /** Fetch {@code partition} from {@code leaderId}, which leads it at {@code leaderEpoch}. */
    void follow(Partition partition, int leaderId, int leaderEpoch);

    /** Stop fetching {@code tp} (this node leads it, nobody does, or it was deleted). */
    void unfollow(TopicPartition tp);

    /** Send {@code change}, proposed by the leader {@code partition}, to the controller. */
    void submitIsrChange(Partition partition, IsrChange change);
}
