package io.tributary.broker.replica;

import io.tributary.broker.partition.Partition;
import io.tributary.proto.replica.v1.EpochEndOffset;
import io.tributary.proto.replica.v1.ReplicaPartitionData;
import io.tributary.proto.v1.ErrorCode;
import io.tributary.storage.Log;
import java.util.Optional;

/**
 * How a follower applies its leader's answer for one partition: append the records as they are,
 * truncate where its log diverged (to the point the leader's epochs say — never blindly to its own
 * high watermark), and take the leader's high watermark and log start offset.
 */
final class FollowerApply {

    /** What applying did: whether records were appended, and whether the fetch state changed. */
    enum Outcome { APPENDED, TRUNCATED, UNCHANGED, STALE }

    private FollowerApply() {
    }

    /**
     * Applies {@code data} (error NONE or OFFSET_OUT_OF_RANGE) to {@code partition}, fetched at
     * {@code fetchLeaderEpoch}. STALE when the partition's role or epoch changed meanwhile.
     */
    static Outcome apply(Partition partition, int fetchLeaderEpoch, ReplicaPartitionData data) {
        Outcome outcome;
        if (data.getErrorCode() == ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE) {
            outcome = outOfRange(partition, fetchLeaderEpoch, data);
        } else if (data.hasDivergingEpoch()) {
            TruncationPoint point = truncationPoint(partition.log(), data.getDivergingEpoch());
            outcome = partition.truncateAsFollower(point.offset(), point.fully(), fetchLeaderEpoch)
                    ? Outcome.TRUNCATED : Outcome.STALE;
        } else if (!data.getRecordBatches().isEmpty()) {
            outcome = partition.appendAsFollower(data.getRecordBatches().asReadOnlyByteBuffer(), fetchLeaderEpoch)
                    ? Outcome.APPENDED : Outcome.STALE;
        } else {
            outcome = Outcome.UNCHANGED;
        }
        if (outcome != Outcome.STALE && data.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
            partition.updateFromLeader(data.getHighWatermark(), data.getLogStartOffset());
        }
        return outcome;
    }

    private static Outcome outOfRange(Partition partition, int fetchLeaderEpoch, ReplicaPartitionData data) {
        long end = partition.logEndOffset();
        boolean truncated;
        if (end > data.getLogEndOffset()) {
            truncated = partition.truncateAsFollower(data.getLogEndOffset(), false, fetchLeaderEpoch);
        } else if (end < data.getLogStartOffset()) {
            truncated = partition.truncateAsFollower(data.getLogStartOffset(), true, fetchLeaderEpoch);
        } else {
            return Outcome.UNCHANGED;
        }
        return truncated ? Outcome.TRUNCATED : Outcome.STALE;
    }

    /** Where to truncate: an offset, and whether to empty the log and restart it there. */
    record TruncationPoint(long offset, boolean fully) {
    }

    /**
     * The truncation point for the leader's answer (epoch E ending at O): with E -1, everything (the
     * leader kept none of the follower's history; restart at the leader's log start O). If this log
     * has E, the logs agree up to min(O, where E ends here). If not, up to where this log's largest
     * epoch below E ends — the next fetch then compares that earlier epoch. With no epoch up to E at
     * all, up to min(O, log end offset).
     */
    static TruncationPoint truncationPoint(Log log, EpochEndOffset leaders) {
        if (leaders.getEpoch() < 0) {
            return new TruncationPoint(leaders.getEndOffset(), true);
        }
        Optional<io.tributary.storage.EpochEndOffset> own = log.epochEndOffset(leaders.getEpoch());
        if (own.isEmpty()) {
            return new TruncationPoint(Math.min(leaders.getEndOffset(), log.logEndOffset()), false);
        }
        if (own.get().epoch() == leaders.getEpoch()) {
            return new TruncationPoint(Math.min(leaders.getEndOffset(), own.get().endOffset()), false);
        }
        return new TruncationPoint(own.get().endOffset(), false);
    }
}
