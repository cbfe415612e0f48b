package io.tributary.storage;

import java.util.Optional;

/**
 * The batch found by a timestamp lookup ({@link Log#fetchOffsetByTimestamp},
 * {@link Log#offsetOfMaxTimestamp}).
 *
 * @param timestampMs the batch's max timestamp
 * @param offset the batch's base offset, raised to the log start offset when the batch begins below it
 * @param leaderEpoch the batch's partition leader epoch, empty when the batch has none (-1)
 */
public record TimestampAndOffset(long timestampMs, long offset, Optional<Integer> leaderEpoch) {
}
