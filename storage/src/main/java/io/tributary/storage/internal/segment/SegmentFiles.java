package io.tributary.storage.internal.segment;

import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Creates and opens the three files of a {@link LogSegment} (see {@link LogSegment#create} and
 * {@link LogSegment#open}).
 */
final class SegmentFiles {

    private SegmentFiles() {
    }

    static LogSegment create(FileIo io, Path dir, long baseOffset, int maxIndexBytes, int indexIntervalBytes)
            throws IOException {
        Path logPath = dir.resolve(LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX));
        if (io.exists(logPath) && io.size(logPath) > 0) {
            throw new IllegalStateException("cannot create segment " + logPath + ": the file exists and is not empty");
        }
        io.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.INDEX_SUFFIX)));
        io.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.TIME_INDEX_SUFFIX)));
        return open(io, dir, baseOffset, maxIndexBytes, indexIntervalBytes, true, true);
    }

    /** On failure, closes whatever it opened. */
    static LogSegment open(FileIo io, Path dir, long baseOffset, int maxIndexBytes, int indexIntervalBytes,
            boolean writableIndexes, boolean create) throws IOException {
        Path logPath = dir.resolve(LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX));
        Path indexPath = dir.resolve(LogSegment.fileName(baseOffset, LogSegment.INDEX_SUFFIX));
        Path timeIndexPath = dir.resolve(LogSegment.fileName(baseOffset, LogSegment.TIME_INDEX_SUFFIX));
        boolean indexMissing = !create && (!io.exists(indexPath) || !io.exists(timeIndexPath));
        FileHandle log = create
                ? io.open(logPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : io.open(logPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
        OffsetIndex offsetIndex = null;
        try {
            offsetIndex = new OffsetIndex(io, indexPath, baseOffset, maxIndexBytes, writableIndexes);
            TimeIndex timeIndex = new TimeIndex(io, timeIndexPath, baseOffset, maxIndexBytes, writableIndexes);
            return new LogSegment(io, logPath, log, baseOffset, indexIntervalBytes, offsetIndex, timeIndex,
                    indexMissing);
        } catch (IOException | RuntimeException e) {
            if (offsetIndex != null) {
                offsetIndex.close();
            }
            log.close();
            throw e;
        }
    }
}
