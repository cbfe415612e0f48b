package io.tributary.storage.inspect;

import io.tributary.storage.internal.recovery.LogLoader;
import io.tributary.storage.internal.segment.LogSegment;
import java.nio.file.Path;

/** Base offsets from segment file names ({@code <20-digit base offset><suffix>}). Stateless. */
final class SegmentFileNames {

    private SegmentFileNames() {
    }

    /**
     * The base offset {@code file}'s name encodes.
     *
     * @throws IllegalArgumentException naming the file when it is not {@code <20 digits><suffix>}
     */
    static long baseOffset(Path file, String suffix) {
        return LogLoader.baseOffsetOf(file.getFileName().toString(), suffix).orElseThrow(() ->
                new IllegalArgumentException(file + " is not named <20-digit base offset>" + suffix
                        + ", so its base offset is unknown"));
    }

    /** The sibling file of the same segment with {@code suffix}, e.g. the log of an index. */
    static Path sibling(Path file, long baseOffset, String suffix) {
        return file.resolveSibling(LogSegment.fileName(baseOffset, suffix));
    }
}
