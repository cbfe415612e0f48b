package io.tributary.storage;

import io.tributary.common.errors.StorageException;
import java.nio.file.Path;

/**
 * A checkpoint or metadata file exists but cannot be parsed. Its message names the file and the
 * 1-based line. Raised instead of guessing, because a guessed high watermark, log start offset or
 * leader epoch could expose deleted or uncommitted data; the operator decides (fix or delete the file).
 */
public class CorruptCheckpointException extends StorageException {

    private final Path file;
    private final int line;

    public CorruptCheckpointException(Path file, int line, String problem) {
        super("corrupt checkpoint file " + file + " at line " + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number of the problem. */
    public int line() {
        return line;
    }
}
