package io.tributary.quorum.inspect;

import io.tributary.quorum.raft.ElectionState;
import io.tributary.quorum.runtime.FileQuorumStateStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The {@code quorum-state} file of a metadata log directory: what a node remembers of Raft elections.
 *
 * @param epoch      the latest epoch the node knows
 * @param votedFor   the voter it voted for in that epoch, or -1
 * @param leaderId   the leader of that epoch when known, or -1
 * @param catchingUp whether it is a voter that lost its disk and may not vote until it caught up
 */
public record QuorumStateDump(int epoch, int votedFor, int leaderId, boolean catchingUp) {

    /** The file's name. */
    public static final String FILE_NAME = FileQuorumStateStore.FILE_NAME;

    /**
     * Reads a quorum-state file.
     *
     * @throws NoSuchFileException when it does not exist
     * @throws IllegalArgumentException when it is not named {@code quorum-state}
     * @throws IllegalStateException naming the file when it is malformed
     */
    public static QuorumStateDump read(Path file) throws NoSuchFileException {
        if (!file.getFileName().toString().equals(FILE_NAME)) {
            throw new IllegalArgumentException(file + " is not a " + FILE_NAME + " file");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        ElectionState state = new FileQuorumStateStore(file.toAbsolutePath().getParent()).read();
        return new QuorumStateDump(state.epoch(), state.votedFor(), state.leaderId(), state.catchingUp());
    }
}
