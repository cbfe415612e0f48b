package io.tributary.storage.internal;

import io.tributary.storage.LogConfig;
import io.tributary.storage.internal.segment.LogSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which segments retention deletes (DESIGN.md §3). A pure function of the segments, the
 * configuration, the clock and the log's offsets; {@code Log} carries the plan out.
 *
 * <p>Rules: only whole segments are deleted, oldest first, stopping at the first segment that must
 * stay (so the log stays contiguous); never the active segment; never a segment holding offsets at or
 * above the high watermark (uncommitted data). A segment goes when it lies entirely below the log start
 * offset, or (with {@code cleanup.policy} containing {@code delete}) when its newest timestamp is more
 * than {@code retention.ms} old, or while the log exceeds {@code retention.bytes} by at least its size.
 */
public final class RetentionPlanner {

    /** A segment to delete and why. */
    public record Deletion(LogSegment segment, long nextBaseOffset, String reason) {
    }

    private RetentionPlanner() {
    }

    /**
     * @param segments all segments, oldest first, the last one active
     * @param totalBytes the size of all segments
     */
    public static List<Deletion> plan(List<LogSegment> segments, long totalBytes, LogConfig config, long nowMs,
            long logStartOffset, long highWatermark) {
        List<Deletion> deletions = new ArrayList<>();
        long excessBytes = config.retentionBytes() >= 0 ? totalBytes - config.retentionBytes() : 0;
        for (int i = 0; i < segments.size() - 1; i++) {
            LogSegment segment = segments.get(i);
            long nextBaseOffset = segments.get(i + 1).baseOffset();
            if (nextBaseOffset > highWatermark) {
                break;
            }
            String reason = reason(segment, nextBaseOffset, config, nowMs, logStartOffset, excessBytes);
            if (reason == null) {
                break;
            }
            excessBytes -= segment.sizeInBytes();
            deletions.add(new Deletion(segment, nextBaseOffset, reason));
        }
        return deletions;
    }

    private static String reason(LogSegment segment, long nextBaseOffset, LogConfig config, long nowMs,
            long logStartOffset, long excessBytes) {
        if (nextBaseOffset <= logStartOffset) {
            return "below the log start offset " + logStartOffset;
        }
        if (!config.deleteRetention()) {
            return null;
        }
        long ageMs = nowMs - segment.maxTimestampMs();
        if (config.retentionMs() >= 0 && ageMs > config.retentionMs()) {
            return "retention.ms=" + config.retentionMs() + " exceeded: newest timestamp "
                    + segment.maxTimestampMs() + " is " + ageMs + " ms old";
        }
        if (config.retentionBytes() >= 0 && excessBytes >= segment.sizeInBytes()) {
            return "retention.bytes=" + config.retentionBytes() + " exceeded by " + excessBytes + " bytes";
        }
        return null;
    }
}
