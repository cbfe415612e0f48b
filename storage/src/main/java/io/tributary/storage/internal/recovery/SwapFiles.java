package io.tributary.storage.internal.recovery;

import io.tributary.common.errors.CorruptRecordException;
import io.tributary.storage.internal.segment.BatchHeader;
import io.tributary.storage.internal.segment.LogSegment;
import io.tributary.storage.io.FileHandle;
import io.tributary.storage.io.FileIo;
import io.tributary.common.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes segment swaps interrupted by a crash. The swap protocol (used when a rewritten segment,
 * e.g. a compacted one, replaces old ones): the new segment is written as {@code .cleaned}, fsynced,
 * renamed to {@code .swap}, then the replaced segments are deleted and the {@code .swap} is renamed to
 * its final name. So a {@code .log.swap} is always complete: on load, the segments whose base offsets
 * fall inside its offset range are deleted and it takes their place; its indexes are rebuilt.
 * A {@code .swap} that holds no readable batch, and index {@code .swap} files, are deleted.
 */
final class SwapFiles {

    static final String SWAP_SUFFIX = ".swap";
    private static final Logger LOG = LoggerFactory.getLogger(SwapFiles.class);

    private SwapFiles() {
    }

    /** Completes every swap in {@code dir}; {@code swapFiles} are the {@code *.swap} files found there. */
    static void complete(FileIo io, Path dir, List<Path> swapFiles) throws IOException {
        for (Path swap : swapFiles) {
            String name = swap.getFileName().toString();
            String finalName = name.substring(0, name.length() - SWAP_SUFFIX.length());
            OptionalLong baseOffset = LogLoader.baseOffsetOf(finalName, LogSegment.LOG_SUFFIX);
            OptionalLong nextOffset = baseOffset.isPresent() ? nextOffsetOf(io, swap) : OptionalLong.empty();
            if (nextOffset.isEmpty()) {
                io.deleteIfExists(swap);
                continue;
            }
            for (Path file : io.list(dir)) {
                OptionalLong replaced = LogLoader.baseOffsetOf(file.getFileName().toString(), LogSegment.LOG_SUFFIX);
                if (replaced.isPresent() && replaced.getAsLong() >= baseOffset.getAsLong()
                        && replaced.getAsLong() < nextOffset.getAsLong()) {
                    deleteSegmentFiles(io, dir, replaced.getAsLong());
                }
            }
            io.move(swap, dir.resolve(finalName));
            LOG.info("Completed the swap of {}: it replaces the segments in offsets [{}, {})", swap,
                    baseOffset.getAsLong(), nextOffset.getAsLong());
        }
        io.fsyncDirectory(dir);
    }

    private static void deleteSegmentFiles(FileIo io, Path dir, long baseOffset) throws IOException {
        io.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.LOG_SUFFIX)));
        io.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.INDEX_SUFFIX)));
        io.deleteIfExists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.TIME_INDEX_SUFFIX)));
    }

    /** The offset after the last batch of the readable prefix of {@code file}, or empty when it has none. */
    private static OptionalLong nextOffsetOf(FileIo io, Path file) throws IOException {
        try (FileHandle handle = io.open(file, StandardOpenOption.READ)) {
            long size = handle.size();
            long position = 0;
            OptionalLong next = OptionalLong.empty();
            ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
            while (position < size) {
                header.clear();
                handle.readFully(header, position);
                BatchHeader batch;
                try {
                    batch = BatchHeader.parse(header.flip(), 0, size - position, (int) position, file.toString());
                } catch (CorruptRecordException e) {
                    break;
                }
                next = OptionalLong.of(batch.nextOffset());
                position += batch.sizeInBytes();
            }
            return next;
        }
    }
}
