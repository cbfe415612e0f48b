package io.tributary.storage.internal.recovery;

import io.tributary.storage.internal.epoch.LeaderEpochCache;
import io.tributary.storage.internal.segment.LogSegments;

/**
 * A partition log as found on disk and made consistent by {@link LogLoader}.
 *
 * @param segments the segments, the last one active with writable indexes
 * @param epochCache the leader-epoch cache, truncated to the loaded offsets
 * @param logStartOffset the first offset readers may ask for
 * @param logEndOffset the offset the next append gets
 * @param recoveryPoint everything below it is known valid and fsynced
 */
public record LoadedLog(LogSegments segments, LeaderEpochCache epochCache, long logStartOffset, long logEndOffset,
        long recoveryPoint) {
}
