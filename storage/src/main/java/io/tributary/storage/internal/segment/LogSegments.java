package io.tributary.storage.internal.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A log's segments ordered by base offset; the last one is the active segment. Thread-safe: a
 * concurrent skip list lets readers look segments up while the single writer adds and removes them.
 * Snapshots ({@link #all()}) are weakly consistent.
 */
public final class LogSegments {

    private final ConcurrentSkipListMap<Long, LogSegment> byBaseOffset = new ConcurrentSkipListMap<>();

    public void add(LogSegment segment) {
        byBaseOffset.put(segment.baseOffset(), segment);
    }

    public void remove(LogSegment segment) {
        byBaseOffset.remove(segment.baseOffset(), segment);
    }

    public boolean isEmpty() {
        return byBaseOffset.isEmpty();
    }

    public int count() {
        return byBaseOffset.size();
    }

    /** The segment that would hold {@code offset}: the one with the largest base offset at most it. */
    public Optional<LogSegment> floor(long offset) {
        return value(byBaseOffset.floorEntry(offset));
    }

    /** The segment after the one based at {@code baseOffset}. */
    public Optional<LogSegment> higher(long baseOffset) {
        return value(byBaseOffset.higherEntry(baseOffset));
    }

    public LogSegment first() {
        return byBaseOffset.firstEntry().getValue();
    }

    /** The active segment. */
    public LogSegment last() {
        return byBaseOffset.lastEntry().getValue();
    }

    /** All segments, oldest first. */
    public List<LogSegment> all() {
        return new ArrayList<>(byBaseOffset.values());
    }

    /** The segments from the one holding {@code offset} (or the first, if offset is below it) on. */
    public List<LogSegment> from(long offset) {
        Long floor = byBaseOffset.floorKey(offset);
        return new ArrayList<>((floor == null ? byBaseOffset : byBaseOffset.tailMap(floor, true)).values());
    }

    /** The segments with base offset at least {@code offset}. */
    public List<LogSegment> atOrAbove(long offset) {
        return new ArrayList<>(byBaseOffset.tailMap(offset, true).values());
    }

    /** Total bytes of all segments. */
    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : byBaseOffset.values()) {
            total += segment.sizeInBytes();
        }
        return total;
    }

    private static Optional<LogSegment> value(Map.Entry<Long, LogSegment> entry) {
        return entry == null ? Optional.empty() : Optional.of(entry.getValue());
    }
}
