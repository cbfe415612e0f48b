package io.tributary.quorum.runtime;

import io.tributary.quorum.raft.ElectionState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code quorum-state} file: the election state (epoch, voted-for, leader, catching up after a
 * disk loss) Raft must not forget. Written atomically and durably — a temporary file is written and
 * fsynced, renamed over the old one, and the directory is fsynced — so a crash leaves either the old
 * or the new state, never a mix. Format: {@code key=value} lines with a version: 1 without the
 * catching-up flag, 2 with {@code catchingUp=true}, so that a version that does not know the flag
 * refuses the file rather than letting the voter vote before it caught up.
 */
public final class FileQuorumStateStore {

    public static final String FILE_NAME = "quorum-state";
    private static final int VERSION = 1;
    private static final int VERSION_CATCHING_UP = 2;

    private final Path dir;
    private final Path file;

    public FileQuorumStateStore(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
    }

    /**
     * The stored state, or the initial one when there is no file yet.
     *
     * @throws IllegalStateException naming the file when it is not a valid quorum-state file
     */
    public ElectionState read() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return ElectionState.initial();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        try {
            int version = Integer.parseInt(values.getOrDefault("version", "-1"));
            if (version != VERSION && version != VERSION_CATCHING_UP) {
                throw new IllegalStateException(file + " has unsupported version " + values.get("version"));
            }
            boolean catchingUp = version == VERSION_CATCHING_UP && Boolean.parseBoolean(values.get("catchingUp"));
            return new ElectionState(Integer.parseInt(values.get("epoch")), Integer.parseInt(values.get("votedFor")),
                    Integer.parseInt(values.get("leaderId")), catchingUp);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalStateException(file + " is not a valid quorum-state file: " + text.replace('\n', ' '), e);
        }
    }

    /** Replaces the stored state atomically and durably. */
    public void write(ElectionState state) {
        String text = "version=" + (state.catchingUp() ? VERSION_CATCHING_UP : VERSION) + "\nepoch=" + state.epoch()
                + "\nvotedFor=" + state.votedFor() + "\nleaderId=" + state.leaderId() + "\n"
                + (state.catchingUp() ? "catchingUp=true\n" : "");
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
