package io.tributary.storage.internal.segment;

import java.nio.file.Path;

/** An index file failed its sanity check. Never fatal: the loader rebuilds the index from the log. */
public final class CorruptIndexException extends Exception {

    public CorruptIndexException(Path file, String problem) {
        super("corrupt index " + file + ": " + problem);
    }
}
