package io.tributary.client.consumer;

import java.util.Optional;

/**
 * The answer of {@code offsetsForTimes} for one partition: the earliest offset whose timestamp is at
 * or after the time asked for, and that record's timestamp.
 */
public record OffsetAndTimestamp(long offset, long timestamp, Optional<Integer> leaderEpoch) {

    public OffsetAndTimestamp {
        if (offset < 0) {
            throw new IllegalArgumentException("invalid negative offset " + offset);
        }
    }
}
