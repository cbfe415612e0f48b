package io.tributary.quorum.raft;

/**
 * What a node must remember across restarts to keep Raft safe ({@code quorum-state}): the latest
 * epoch it knows, whom it voted for in that epoch, and the leader it knows for it. The driver writes
 * it atomically and durably before any message that depends on it leaves the node.
 *
 * @param epoch    the current epoch (0 before any election)
 * @param votedFor the voter this node voted for in {@code epoch}, or -1
 * @param leaderId the leader of {@code epoch} when known, or -1
 */
public record ElectionState(int epoch, int votedFor, int leaderId) {

    public static final int NONE = -1;

    public static ElectionState initial() {
        return new ElectionState(0, NONE, NONE);
    }

    public boolean hasVoted() {
        return votedFor != NONE;
    }

    public boolean hasLeader() {
        return leaderId != NONE;
    }
}
