package io.tributary.broker.replica;

import io.tributary.common.TopicPartition;
import io.tributary.common.errors.ApiException;
import io.tributary.proto.replica.v1.EpochEndOffset;
import io.tributary.proto.replica.v1.ReplicaFetchPartition;

/**
 * The leader's memory of one partition in a follower's fetch session: the follower's last reported
 * fetch state, what the follower was last told, and what the next answer must say. Guarded by the
 * owning {@link LeaderSession}.
 */
final class SessionPartition {

    final TopicPartition topicPartition;
    String topicId;
    int leaderEpoch;
    long fetchOffset;
    int lastFetchedEpoch;
    long durableOffset;
    long logStartOffset;
    int maxBytes;
    long lastSentHighWatermark = -1;
    long lastSentLogStartOffset = -1;
    /** Set when the last request showed the follower's log diverged; sent once, then cleared. */
    EpochEndOffset diverging;
    /** Set when the partition cannot be fetched; sent once, and the partition leaves the session. */
    ApiException error;

    SessionPartition(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    void update(ReplicaFetchPartition state, int defaultMaxBytes) {
        topicId = state.getTopicId();
        leaderEpoch = state.getCurrentLeaderEpoch();
        fetchOffset = state.getFetchOffset();
        lastFetchedEpoch = state.getLastFetchedEpoch();
        durableOffset = state.getDurableOffset();
        logStartOffset = state.getLogStartOffset();
        maxBytes = state.getPartitionMaxBytes() > 0 ? state.getPartitionMaxBytes() : defaultMaxBytes;
        diverging = null;
        error = null;
    }
}
