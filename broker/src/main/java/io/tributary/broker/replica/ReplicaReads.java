package io.tributary.broker.replica;

import io.tributary.broker.partition.Partition;
import io.tributary.common.TopicPartition;
import io.tributary.common.errors.FencedLeaderEpochException;
import io.tributary.common.errors.NotLeaderOrFollowerException;
import io.tributary.common.errors.OffsetOutOfRangeException;
import io.tributary.common.errors.UnknownLeaderEpochException;
import io.tributary.common.errors.UnknownTopicOrPartitionException;
import io.tributary.proto.replica.v1.EpochEndOffset;
import java.util.Optional;

/** The leader's checks on a follower's fetch state: leadership and epoch, divergence, range. */
final class ReplicaReads {

    private ReplicaReads() {
    }

    /**
     * {@code partition} if it is led here at exactly {@code followerEpoch}, for the same incarnation
     * of the topic ({@code topicId}).
     *
     * @throws UnknownTopicOrPartitionException when this node has no such partition (or one of
     *     another topic of that name)
     * @throws NotLeaderOrFollowerException when this node does not lead it
     * @throws FencedLeaderEpochException when the follower follows an older epoch
     * @throws UnknownLeaderEpochException when the follower knows a newer epoch than this node
     */
    static Partition leaderAt(Partition partition, TopicPartition tp, String topicId, int followerEpoch) {
        if (partition == null || partition.isRemoved()) {
            throw new UnknownTopicOrPartitionException("partition " + tp + " is not hosted on this node");
        }
        if (!partition.topicId().equals(topicId)) {
            throw new UnknownTopicOrPartitionException("partition " + tp + " of topic id " + topicId
                    + " is not hosted on this node (it hosts topic id " + partition.topicId() + ")");
        }
        partition.ensureHealthy();
        int epoch = partition.leaderEpoch();
        if (followerEpoch < epoch) {
            throw new FencedLeaderEpochException("replica fetch for " + tp + " carries leader epoch " + followerEpoch
                    + ", older than the current " + epoch);
        }
        if (followerEpoch > epoch) {
            throw new UnknownLeaderEpochException("replica fetch for " + tp + " carries leader epoch " + followerEpoch
                    + ", newer than the " + epoch + " this node knows");
        }
        if (!partition.isLeaderAt(followerEpoch)) {
            throw new NotLeaderOrFollowerException("this node does not lead partition " + tp + " at leader epoch "
                    + followerEpoch);
        }
        return partition;
    }

    /**
     * Where the follower's log stops agreeing with the leader's, or null when it agrees. The
     * follower's last batch has epoch {@code lastFetchedEpoch} and ends before {@code fetchOffset}; the
     * logs agree if the leader's log has that epoch and it reaches at least {@code fetchOffset}.
     * Otherwise the answer is the leader's largest epoch at most lastFetchedEpoch and where it ends —
     * or epoch -1 at the leader's log start offset when the leader holds no such epoch any more
     * (the follower's history is older than everything the leader kept).
     */
    static EpochEndOffset divergence(Partition partition, int lastFetchedEpoch, long fetchOffset) {
        if (lastFetchedEpoch < 0) {
            return null;
        }
        Optional<io.tributary.storage.EpochEndOffset> leaders = partition.log().epochEndOffset(lastFetchedEpoch);
        if (leaders.isEmpty()) {
            return EpochEndOffset.newBuilder().setEpoch(-1).setEndOffset(partition.logStartOffset()).build();
        }
        io.tributary.storage.EpochEndOffset end = leaders.get();
        if (end.epoch() < lastFetchedEpoch || end.endOffset() < fetchOffset) {
            return EpochEndOffset.newBuilder().setEpoch(end.epoch()).setEndOffset(end.endOffset()).build();
        }
        return null;
    }

    /** @throws OffsetOutOfRangeException when the follower fetches outside the leader's log */
    static void checkInRange(Partition partition, long fetchOffset) {
        long start = partition.logStartOffset();
        long end = partition.logEndOffset();
        if (fetchOffset < start || fetchOffset > end) {
            throw new OffsetOutOfRangeException("replica fetch offset " + fetchOffset + " of "
                    + partition.topicPartition() + " is outside the leader's log [" + start + ", " + end + "]");
        }
    }
}
