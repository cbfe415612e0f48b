package io.tributary.storage.internal.checkpoint;

import io.tributary.storage.CorruptCheckpointException;
import io.tributary.storage.io.FileIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A text checkpoint file in Kafka's layout:
 *
 * <pre>
 * &lt;version&gt;
 * &lt;number of entries&gt;
 * &lt;entry&gt;        (one per line, formatted by an {@link EntryFormat})
 * </pre>
 *
 * Writes are atomic ({@link AtomicFile}). Reading a missing file yields no entries; reading a file
 * with a wrong version, a wrong count or a malformed entry throws {@link CorruptCheckpointException}
 * naming the file and line. Thread-safe as long as callers do not write the same file concurrently.
 *
 * @param <T> the entry type
 */
public final class CheckpointFile<T> {

    /** Turns one entry into one line and back. */
    public interface EntryFormat<T> {
        String toLine(T entry);

        /** @throws IllegalArgumentException saying what is wrong with the line */
        T fromLine(String line);
    }

    private final FileIo io;
    private final Path file;
    private final int version;
    private final EntryFormat<T> format;

    public CheckpointFile(FileIo io, Path file, int version, EntryFormat<T> format) {
        this.io = io;
        this.file = file;
        this.version = version;
        this.format = format;
    }

    public Path file() {
        return file;
    }

    /** Atomically replaces the file with {@code entries}; durable when this returns. */
    public void write(Collection<T> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(version).append('\n').append(entries.size()).append('\n');
        for (T entry : entries) {
            text.append(format.toLine(entry)).append('\n');
        }
        AtomicFile.write(io, file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The entries, in file order; empty when the file does not exist.
     *
     * @throws CorruptCheckpointException when the file exists but is malformed
     */
    public List<T> read() throws IOException {
        if (!io.exists(file)) {
            return List.of();
        }
        String text = new String(AtomicFile.read(io, file), StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        int declaredVersion = parseInt(lines, 0, "version");
        if (declaredVersion != version) {
            throw new CorruptCheckpointException(file, 1, "unsupported version " + declaredVersion
                    + " (expected " + version + ")");
        }
        int count = parseInt(lines, 1, "entry count");
        if (count < 0 || lines.size() - 2 != count) {
            throw new CorruptCheckpointException(file, 2, "declares " + count + " entries but has "
                    + Math.max(0, lines.size() - 2));
        }
        List<T> entries = new ArrayList<>(count);
        for (int i = 2; i < lines.size(); i++) {
            try {
                entries.add(format.fromLine(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new CorruptCheckpointException(file, i + 1, "malformed entry '" + lines.get(i) + "': "
                        + e.getMessage());
            }
        }
        return entries;
    }

    private int parseInt(List<String> lines, int index, String what) {
        if (index >= lines.size()) {
            throw new CorruptCheckpointException(file, index + 1, "missing " + what + " line");
        }
        try {
            return Integer.parseInt(lines.get(index).trim());
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(file, index + 1, "expected the " + what + " but found '"
                    + lines.get(index) + "'");
        }
    }
}
