package io.tributary.client.consumer;

import java.util.Optional;

/**
 * A committed (or to-be-committed) position of a consumer group in one partition, as Kafka's
 * {@code OffsetAndMetadata}: the offset of the next record to consume, the leader epoch of the last
 * consumed record when known, and free text stored with it.
 */
public record OffsetAndMetadata(long offset, Optional<Integer> leaderEpoch, String metadata) {

    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("invalid negative offset " + offset);
        }
        leaderEpoch = leaderEpoch == null ? Optional.empty() : leaderEpoch.filter(epoch -> epoch >= 0);
        metadata = metadata == null ? "" : metadata;
    }

    public OffsetAndMetadata(long offset) {
        this(offset, Optional.empty(), "");
    }

    public OffsetAndMetadata(long offset, String metadata) {
        this(offset, Optional.empty(), metadata);
    }
}
