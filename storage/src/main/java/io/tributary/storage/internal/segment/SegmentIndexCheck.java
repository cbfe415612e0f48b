package io.tributary.storage.internal.segment;

import io.tributary.common.errors.CorruptRecordException;
import java.io.IOException;
import java.util.Optional;

/** The index validation of {@link LogSegment#sanityCheckIndexes}, which the log loader runs before trusting them. */
final class SegmentIndexCheck {

    private SegmentIndexCheck() {
    }

    /** See {@link LogSegment#sanityCheckIndexes}. */
    static void check(LogSegment segment, boolean indexFileMissingAtOpen, long endOffsetExclusive, boolean active)
            throws CorruptIndexException, IOException {
        OffsetIndex offsetIndex = segment.offsetIndex();
        TimeIndex timeIndex = segment.timeIndex();
        if (indexFileMissingAtOpen) {
            throw new CorruptIndexException(offsetIndex.file(), "index or time index file missing");
        }
        offsetIndex.sanityCheck(segment.sizeInBytes());
        timeIndex.sanityCheck(endOffsetExclusive);
        Optional<OffsetIndex.Entry> last = offsetIndex.lastEntry();
        if (last.isPresent()) {
            try {
                BatchHeader header = segment.headerAt(last.get().position(), segment.sizeInBytes());
                if (header.lastOffset() != last.get().offset()) {
                    throw new CorruptIndexException(offsetIndex.file(), "last entry " + last.get()
                            + " points at a batch ending at " + header.lastOffset());
                }
            } catch (CorruptRecordException e) {
                throw new CorruptIndexException(offsetIndex.file(), "last entry " + last.get()
                        + " does not point at a batch: " + e.getMessage());
            }
        }
        if (!active && segment.sizeInBytes() > 0 && timeIndex.entries() == 0) {
            throw new CorruptIndexException(timeIndex.file(), "empty for a non-empty rolled segment");
        }
    }
}
